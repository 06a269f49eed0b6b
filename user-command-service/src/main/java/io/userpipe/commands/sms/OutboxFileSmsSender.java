package io.userpipe.commands.sms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The local stand-in for a phone: appends each message as one line to a file. This file is the one
 * place a one-time code exists in plaintext, and only in the local demo: outside it the service
 * refuses to start without a provider ({@link SmsSenders}).
 */
public final class OutboxFileSmsSender implements SmsSender {

  private final Path file;
  private final Clock clock;

  public OutboxFileSmsSender(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized SmsOutcome send(SmsRequest message) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String line =
        clock.instant()
            + " "
            + message.messageId()
            + " to "
            + message.to()
            + ": "
            + message.text()
            + "\n";
    Files.writeString(
        file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new SmsOutcome.Accepted(null);
  }
}
