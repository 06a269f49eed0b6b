package io.userpipe.commands.sms;

/** Delivers a text message to a phone: a provider's API in production, a file locally. */
public interface SmsSender {

  /**
   * Sends one message; throws when it could not be handed over (the relay retries). The same
   * message id may arrive twice after a crash: providers that take an idempotency key should get
   * it.
   */
  void send(String messageId, String to, String text) throws Exception;
}
