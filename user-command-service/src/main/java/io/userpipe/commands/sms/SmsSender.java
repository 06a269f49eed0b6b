package io.userpipe.commands.sms;

/**
 * Delivers a text message to a phone: a provider's API in production ({@link TwilioSmsSender}), a
 * file in the local demo only ({@link OutboxFileSmsSender}).
 */
public interface SmsSender {

  /**
   * Hands one message over. Returns {@link SmsOutcome.Accepted} or, for a refusal that would not
   * pass, {@link SmsOutcome.Refused}; throws {@link TransientSmsException} (or any exception) when
   * it could not be handed over and may be later: the relay retries. The same message may arrive
   * twice after a crash. Implementations never put the number or the text in a log or exception.
   */
  SmsOutcome send(SmsRequest message) throws Exception;
}
