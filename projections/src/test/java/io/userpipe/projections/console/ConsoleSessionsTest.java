package io.userpipe.projections.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Given a session sealed by one instance, when another opens it, then what holds. */
class ConsoleSessionsTest {

  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final Instant CREDENTIAL = Instant.parse("2026-12-01T09:30:00.123Z");

  private static ConsoleSessions sessions(String secret) {
    return new ConsoleSessions(ConsoleSessions.deriveKey(secret), Duration.ofHours(8));
  }

  @Test
  void anotherInstanceWithTheSameSecretOpensTheSession() {
    var one = sessions("a-shared-internal-token-of-32-characters");
    var other = sessions("a-shared-internal-token-of-32-characters");
    var session = one.open("officer-1", CREDENTIAL, NOW);
    var opened = other.open(one.seal(session), NOW.plusSeconds(60));
    assertEquals(session, opened.orElseThrow());
    assertEquals(NOW.plus(Duration.ofHours(8)), opened.get().expires());
  }

  @Test
  void aSessionEndsWhenItsTimeIsUp() {
    var s = sessions("a-shared-internal-token-of-32-characters");
    String cookie = s.seal(s.open("officer-1", CREDENTIAL, NOW));
    assertTrue(s.open(cookie, NOW.plus(Duration.ofHours(8)).minusSeconds(1)).isPresent());
    assertTrue(s.open(cookie, NOW.plus(Duration.ofHours(8))).isEmpty());
  }

  @Test
  void aSessionSignedUnderAnotherSecretOrEditedIsRefused() {
    var ours = sessions("a-shared-internal-token-of-32-characters");
    var theirs = sessions("another-internal-token-of-32-characters");
    String cookie = theirs.seal(theirs.open("officer-1", CREDENTIAL, NOW));
    assertTrue(ours.open(cookie, NOW).isEmpty());

    String mine = ours.seal(ours.open("officer-1", CREDENTIAL, NOW));
    String payload = mine.substring(0, mine.indexOf('.'));
    String forged =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(payload))
                    .replace("officer-1", "officer-2")
                    .getBytes());
    assertTrue(ours.open(forged + mine.substring(mine.indexOf('.')), NOW).isEmpty());
    assertTrue(ours.open("garbage", NOW).isEmpty());
    assertTrue(ours.open("a.b", NOW).isEmpty());
  }

  @Test
  void theCsrfTokenBelongsToItsSessionOnly() {
    var s = sessions("a-shared-internal-token-of-32-characters");
    var one = s.open("officer-1", CREDENTIAL, NOW);
    var two = s.open("officer-1", CREDENTIAL, NOW);
    assertTrue(s.csrfMatches(one, s.csrfToken(one)));
    assertFalse(s.csrfMatches(one, s.csrfToken(two)));
    assertFalse(s.csrfMatches(one, null));
    assertFalse(s.csrfMatches(one, ""));
    assertNotEquals(one.nonce(), two.nonce());
  }
}
