package io.userpipe.runtime.streams;

/**
 * A record that decodes but can never be processed (it breaks a bound of the door it came through):
 * not a bug of ours and not a passing fault, so the processor that finds it throws this, and the
 * record is dead-lettered with the message as its reason ({@link DeadLetterHandlers}).
 */
public final class UnprocessableRecordException extends RuntimeException {

  public UnprocessableRecordException(String reason) {
    super(reason);
  }
}
