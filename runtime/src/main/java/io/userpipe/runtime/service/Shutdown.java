package io.userpipe.runtime.service;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's stop, bounded. On SIGTERM (or Ctrl-C) the close runs: each service leaves its group
 * and closes its stores. If that is not done within {@link #LIMIT}, because a close is stuck (a
 * RocksDB close behind a GC storm once took over a minute), the process halts anyway, as a kill -9
 * would. Exactly-once makes that safe: the open transactions abort and their input is decided again
 * by whoever takes the tasks over. The limit sits under an orchestrator's usual grace period
 * (Kubernetes' default is 30 s), so a stop always ends on our terms and says so in the log.
 */
public final class Shutdown {

  /** The whole stop, closes included. */
  public static final Duration LIMIT = Duration.ofSeconds(25);

  /** An operator (or a test) may set another limit, as an ISO-8601 duration: {@code PT5S}. */
  static final String LIMIT_PROPERTY = "userpipe.shutdown.limit";

  /** The exit status of a stop that ran out of time. */
  static final int HALTED = 3;

  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private Shutdown() {}

  /** On SIGTERM or Ctrl-C, runs {@code close}, and halts the process if it takes over the limit. */
  public static void onSignal(String name, Runnable close) {
    Duration limit = limit();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Thread watchdog =
                      new Thread(
                          () -> {
                            try {
                              Thread.sleep(limit.toMillis());
                            } catch (InterruptedException e) {
                              return; // closed in time
                            }
                            log.error(
                                "{}: not stopped within {}; halting (open transactions abort)",
                                name,
                                limit);
                            Runtime.getRuntime().halt(HALTED);
                          },
                          name + "-shutdown-deadline");
                  watchdog.setDaemon(true);
                  watchdog.start();
                  long started = System.nanoTime();
                  try {
                    close.run();
                  } catch (RuntimeException e) {
                    log.error("{}: closing failed", name, e);
                  } finally {
                    watchdog.interrupt();
                  }
                  log.info("{}: stopped in {} ms", name, (System.nanoTime() - started) / 1_000_000);
                },
                name + "-shutdown"));
  }

  static Duration limit() {
    String set = System.getProperty(LIMIT_PROPERTY);
    return set == null ? LIMIT : Duration.parse(set);
  }
}
