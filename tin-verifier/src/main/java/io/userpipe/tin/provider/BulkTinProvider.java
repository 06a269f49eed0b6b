package io.userpipe.tin.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The IRS bulk TIN Matching program as a provider: a new request is appended to the current request
 * file in {@code outbox} (for the platform to upload; the IRS answers within 24 hours) and answered
 * "not yet"; once a response file in {@code inbox} names the request, its code is the answer.
 * Request files roll over at 100,000 lines.
 */
public final class BulkTinProvider implements TinMatchingProvider {

  static final Duration ASK_AGAIN = Duration.ofHours(1);

  private final Path outbox;
  private final Path inbox;
  private final Clock clock;
  private final Set<String> sent = new HashSet<>();
  private final Map<String, Integer> answers = new HashMap<>();
  private final Set<Path> read = new HashSet<>();
  private boolean loaded;
  private Path current;
  private int linesInCurrent;

  public BulkTinProvider(Path outbox, Path inbox, Clock clock) {
    this.outbox = outbox;
    this.inbox = inbox;
    this.clock = clock;
  }

  @Override
  public synchronized TinMatchAnswer match(TinMatchRequest request) throws IOException {
    readNewResponses();
    Integer code = answers.get(request.requestId());
    if (code != null) {
      return new TinMatchAnswer.Answered(code);
    }
    loadSentOnce();
    if (sent.add(request.requestId())) {
      append(IrsBulkRequestFile.line(request));
    }
    return new TinMatchAnswer.NotYet(ASK_AGAIN);
  }

  private void append(String line) throws IOException {
    Files.createDirectories(outbox);
    if (current == null || linesInCurrent >= IrsBulkRequestFile.MAX_LINES) {
      current = outbox.resolve("tin-request-" + clock.millis() + ".txt");
      linesInCurrent = 0;
    }
    Files.writeString(
        current,
        line,
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    linesInCurrent++;
  }

  /** After a restart, requests written before must not be written twice: learn them once. */
  private void loadSentOnce() throws IOException {
    if (loaded || !Files.isDirectory(outbox)) {
      loaded = true;
      return;
    }
    try (Stream<Path> files = Files.list(outbox)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          String[] fields = line.split(";", -1);
          if (fields.length == 4) {
            sent.add(fields[3]);
          }
        }
      }
    }
    loaded = true;
  }

  private void readNewResponses() throws IOException {
    if (!Files.isDirectory(inbox)) {
      return;
    }
    try (Stream<Path> files = Files.list(inbox)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (read.add(file)) {
          answers.putAll(
              IrsBulkResponseFile.parse(
                  Files.readString(file, StandardCharsets.US_ASCII),
                  file.getFileName().toString()));
        }
      }
    }
  }
}
