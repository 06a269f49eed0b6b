package io.userpipe.commands.sms;

/** What a provider answered to one message it was handed. */
public sealed interface SmsOutcome {

  /** It took the message; {@code providerMessageId} is its id for it (null for the outbox file). */
  record Accepted(String providerMessageId) implements SmsOutcome {}

  /**
   * It refused the message for good (an invalid or unsubscribed number, ...): sending it again
   * would be refused again. {@code errorCode} is the provider's code, or ours for our own limits.
   */
  record Refused(String status, String errorCode) implements SmsOutcome {}
}
