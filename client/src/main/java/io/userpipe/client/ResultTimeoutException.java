package io.userpipe.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * No result came within the client's timeout. The command may still be decided: send the same
 * builder again (same command id, so it is decided at most once) or wait with {@link
 * PlatformClient#result}.
 */
public final class ResultTimeoutException extends TimeoutException {

  private final String commandId;

  public ResultTimeoutException(String commandId, Duration timeout) {
    super("no result for command " + commandId + " within " + timeout);
    this.commandId = commandId;
  }

  public String commandId() {
    return commandId;
  }
}
