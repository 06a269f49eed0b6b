package io.userpipe.tin.provider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A stand-in for the IRS for local runs and tests: knows the TIN/name pairs of a data file and
 * answers like TIN Matching does (0 match, 2 not issued, 3 name mismatch; 6/7 when the type was
 * unknown). Its latency is simulated without sleeping: a request is answered once its latency has
 * passed since submission — most in seconds, a deterministic few ({@code slowFraction}, chosen by
 * request id) after hours — and until then it says "not yet".
 */
public final class ReferenceTinProvider implements TinMatchingProvider {

  static final String RESOURCE = "reference-tins.csv";

  private record Known(TinType type, String nameControl) {}

  private final Map<String, Known> known;
  private final Clock clock;
  private final Duration typicalLatency;
  private final double slowFraction;
  private final Duration slowLatency;

  private ReferenceTinProvider(
      Map<String, Known> known,
      Clock clock,
      Duration typicalLatency,
      double slowFraction,
      Duration slowLatency) {
    this.known = Map.copyOf(known);
    this.clock = clock;
    this.typicalLatency = typicalLatency;
    this.slowFraction = slowFraction;
    this.slowLatency = slowLatency;
  }

  /** From env-style settings: TIN_REFERENCE_FILE, TIN_PROVIDER_LATENCY, TIN_PROVIDER_SLOW_*. */
  public static ReferenceTinProvider fromConfig(Map<String, String> config, Clock clock) {
    String file = config.get("TIN_REFERENCE_FILE");
    Map<String, Known> known;
    if (file == null || file.isBlank()) {
      try (InputStream in = ReferenceTinProvider.class.getResourceAsStream(RESOURCE)) {
        known = parse(in, RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
        known = parse(in, file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read TIN_REFERENCE_FILE " + file, e);
      }
    }
    return new ReferenceTinProvider(
        known,
        clock,
        duration(config, "TIN_PROVIDER_LATENCY", Duration.ofSeconds(2)),
        Double.parseDouble(config.getOrDefault("TIN_PROVIDER_SLOW_FRACTION", "0.05").trim()),
        duration(config, "TIN_PROVIDER_SLOW_LATENCY", Duration.ofHours(2)));
  }

  private static Duration duration(Map<String, String> config, String key, Duration dflt) {
    String value = config.get(key);
    return value == null || value.isBlank() ? dflt : Duration.parse(value.trim());
  }

  /** Parses {@code tin,type,name} lines after a header; a bad line is refused naming it. */
  static Map<String, Known> parse(InputStream in, String source) throws IOException {
    var known = new HashMap<String, Known>();
    try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = reader.readLine();
      if (header == null || !header.trim().equals("tin,type,name")) {
        throw new IllegalArgumentException(source + " line 1: the header must be tin,type,name");
      }
      String line;
      int number = 1;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split(",", 3);
        if (parts.length != 3 || !parts[0].trim().matches("[0-9]{9}")) {
          throw new IllegalArgumentException(
              source + " line " + number + ": expected 9-digit tin,type,name");
        }
        TinType type;
        try {
          type = TinType.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              source + " line " + number + ": type must be ssn, ein or itin");
        }
        known.put(
            parts[0].trim(), new Known(type, NameControl.of(parts[2].trim(), type == TinType.EIN)));
      }
    }
    return known;
  }

  @Override
  public TinMatchAnswer match(TinMatchRequest request) {
    Instant ready =
        request.submittedAt().plus(isSlow(request.requestId()) ? slowLatency : typicalLatency);
    Instant now = clock.instant();
    if (now.isBefore(ready)) {
      return new TinMatchAnswer.NotYet(Duration.between(now, ready));
    }
    if (request.tin() == null || !request.tin().matches("[0-9]{9}")) {
      return new TinMatchAnswer.Answered(1);
    }
    Known entry = known.get(request.tin());
    if (entry == null) {
      return new TinMatchAnswer.Answered(2);
    }
    if (!entry.nameControl().equals(NameControl.of(request.name(), request.business()))) {
      return new TinMatchAnswer.Answered(3);
    }
    if (request.type() == TinType.UNKNOWN) {
      return new TinMatchAnswer.Answered(entry.type() == TinType.EIN ? 7 : 6);
    }
    return new TinMatchAnswer.Answered(0);
  }

  private boolean isSlow(String requestId) {
    // A stable hash, so a request is slow or fast every time it is asked.
    double bucket = Math.floorMod(requestId.hashCode() * 0x9E3779B9, 10_000) / 10_000.0;
    return bucket < slowFraction;
  }
}
