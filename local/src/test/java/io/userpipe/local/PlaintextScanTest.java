package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PlaintextScanTest {

  private final PlaintextScan.Secrets secrets =
      PlaintextScan.anyOf(Stream.of("521438765", "521-43-8765", "404117"));

  @Test
  void findsASecretStandingAloneOrBetweenPunctuation() {
    assertTrue(secrets.foundIn("521438765"));
    assertTrue(secrets.foundIn("{\"tin\":\"521438765\"}"));
    assertTrue(secrets.foundIn("your code is 404117."));
    assertTrue(secrets.foundIn("ssn 521-43-8765 given"));
    assertTrue(secrets.foundIn("x_521438765_y"));
  }

  @Test
  void findsASecretNextToADashedNeighbour() {
    assertTrue(secrets.foundIn("521438765-12"));
    assertTrue(secrets.foundIn("12-521438765"));
    assertTrue(secrets.foundIn("9-521-43-8765-0"));
  }

  @Test
  void ignoresDigitsInsideLongerRunsOfDigitsOrLetters() {
    assertFalse(secrets.foundIn("1764512404117"));
    assertFalse(secrets.foundIn("5214387650"));
    assertFalse(secrets.foundIn("a521438765"));
    assertFalse(secrets.foundIn("521438765b"));
    assertFalse(secrets.foundIn("id404117x and 52143876"));
    assertFalse(secrets.foundIn("521-43-87650"));
    assertFalse(secrets.foundIn(""));
  }

  @Test
  void refusesSecretsItCannotMatchAsTokens() {
    assertThrows(IllegalArgumentException.class, () -> PlaintextScan.anyOf(Stream.of("ab12")));
    assertThrows(IllegalArgumentException.class, () -> PlaintextScan.anyOf(Stream.empty()));
  }
}
