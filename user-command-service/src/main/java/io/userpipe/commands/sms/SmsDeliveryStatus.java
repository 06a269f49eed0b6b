package io.userpipe.commands.sms;

/** The statuses of {@code SmsDelivery.status} that we write ourselves; the others are Twilio's. */
final class SmsDeliveryStatus {

  /** The provider took the message. */
  static final String ACCEPTED = "accepted";

  /** The provider refused it for good. */
  static final String REFUSED = "refused";

  /** Our per-recipient or per-platform limit held it back: never sent. */
  static final String RATE_LIMITED = "rate_limited";

  /** Every attempt failed on errors that could pass: never sent. */
  static final String UNSENT = "unsent";

  private SmsDeliveryStatus() {}
}
