package io.userpipe.commands.sms;

import io.userpipe.schemas.SmsDelivery;

/**
 * Where what became of a message is recorded: {@code sms.deliveries} ({@link KafkaSmsDeliveries}).
 */
@FunctionalInterface
public interface SmsDeliveries {

  /** Records it durably before returning; throws if it could not. */
  void record(SmsDelivery delivery) throws Exception;

  /** The record's event id: one per message and status, so a record written twice is one. */
  static String eventId(String messageId, String status) {
    return messageId + "/" + status;
  }
}
