package io.userpipe.commands.sms;

import java.time.Instant;

/**
 * One text message to send: the recipient and the text (which holds a one-time code) with what the
 * provider's status callback must carry back. {@link #toString} names the message only, so neither
 * the number nor the code can reach a log by accident.
 */
public record SmsRequest(
    String messageId, String userId, String platformId, Instant createdAt, String to, String text) {

  @Override
  public String toString() {
    return "SmsRequest[" + messageId + "]";
  }
}
