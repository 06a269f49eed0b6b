package io.userpipe.local.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the soak reads of the stack's processes: resident memory (/proc) and GC time (jstat). */
final class StackProbe {

  private StackProbe() {}

  /** Resident memory of the process, in KiB, or -1 if it is gone. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The process and the processes it started (the schema registry). */
  static List<Long> withDescendants(long pid) {
    var pids = new ArrayList<Long>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * GC counters of a JVM ({@code jstat -gc}): young, full and concurrent collections and the
   * seconds each took (pauses; {@code GCT} is their sum).
   */
  record Gc(
      long young,
      double youngSeconds,
      long full,
      double fullSeconds,
      long concurrent,
      double concurrentSeconds,
      double totalSeconds) {

    Gc minus(Gc before) {
      return new Gc(
          young - before.young,
          youngSeconds - before.youngSeconds,
          full - before.full,
          fullSeconds - before.fullSeconds,
          concurrent - before.concurrent,
          concurrentSeconds - before.concurrentSeconds,
          totalSeconds - before.totalSeconds);
    }
  }

  /** The JVM's GC counters now, or null if jstat could not read them. */
  static Gc gc(long pid) {
    try {
      Process jstat =
          new ProcessBuilder("jstat", "-gc", Long.toString(pid)).redirectErrorStream(true).start();
      if (!jstat.waitFor(20, TimeUnit.SECONDS)) {
        jstat.destroyForcibly();
        return null;
      }
      return parseJstat(new String(jstat.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The two lines of {@code jstat -gc}: column names, then values. Null if not that. */
  static Gc parseJstat(String output) {
    String[] lines = output.strip().split("\\R");
    if (lines.length < 2) {
      return null;
    }
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    if (names.length != values.length) {
      return null;
    }
    Map<String, String> byName = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      byName.put(names[i], values[i]);
    }
    try {
      return new Gc(
          number(byName, "YGC").longValue(),
          number(byName, "YGCT").doubleValue(),
          number(byName, "FGC").longValue(),
          number(byName, "FGCT").doubleValue(),
          number(byName, "CGC").longValue(),
          number(byName, "CGCT").doubleValue(),
          number(byName, "GCT").doubleValue());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double number(Map<String, String> byName, String name) {
    String v = byName.getOrDefault(name, "0");
    return "-".equals(v) ? 0.0 : Double.parseDouble(v);
  }
}
