package io.userpipe.runtime.streams;

/**
 * The bounds of the Kafka door, said once. A command's id keys its result on {@code
 * users.command-results} and is remembered for a day, so an unbounded id could make a result the
 * broker refuses (a record over {@code max.message.bytes}) and block the partition behind it; such
 * a command is dead-lettered with the limit it broke instead.
 */
public final class InputLimits {

  /** The longest command id accepted: a UUID is 36; a hash-based or prefixed id fits easily. */
  public static final int MAX_COMMAND_ID_CHARS = 128;

  private InputLimits() {}

  /**
   * @throws UnprocessableRecordException if the id is missing or longer than {@link
   *     #MAX_COMMAND_ID_CHARS}
   */
  public static String requireCommandId(String commandId) {
    if (commandId == null || commandId.isEmpty()) {
      throw new UnprocessableRecordException("command_id is required");
    }
    if (commandId.length() > MAX_COMMAND_ID_CHARS) {
      throw new UnprocessableRecordException(
          "command_id is "
              + commandId.length()
              + " characters; the limit is "
              + MAX_COMMAND_ID_CHARS
              + " (InputLimits.MAX_COMMAND_ID_CHARS)");
    }
    return commandId;
  }
}
