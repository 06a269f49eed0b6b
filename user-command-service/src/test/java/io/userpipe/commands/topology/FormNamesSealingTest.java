package io.userpipe.commands.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.userpipe.commands.domain.Command;
import io.userpipe.commands.domain.CommandEnvelope;
import io.userpipe.commands.domain.Event;
import io.userpipe.commands.domain.FormNames;
import io.userpipe.commands.domain.TinRules.TinType;
import io.userpipe.commands.domain.User;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.ScreeningName;
import io.userpipe.schemas.ScreeningNames;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.W8BenSubmitted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tax form's names to screen leave the service sealed under the user's key with purpose
 * 'screening', apart from the TIN check ('tin') and the whole W-8BEN ('w8ben'): what ofac-screener
 * opens holds no tax id, and the purposes do not open each other's values.
 */
class FormNamesSealingTest {
  private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final Sealing sealing =
      new Sealing(dataKeys, DataKeys.parseEdge(DataKeys.generateEntry("e1"), null));
  private final AvroMapping mapping = new AvroMapping(sealing);
  private final UserKeys userKeys = new UserKeys(dataKeys);
  private final EncryptedValue key = sealing.newUserKey("u1");

  private Object payload(Event event) {
    var user =
        new User("u1", 2, Map.of(), null, true, false, false, null, List.of(), T, List.of(), null);
    var cause = new CommandEnvelope("c1", "p1", T, "u1", null);
    UserEvent e = mapping.toAvro("e1", user, key, event, cause, T);
    return e.getPayload();
  }

  private List<ScreeningName> opened(EncryptedValue sealed) throws Exception {
    return ScreeningNames.getDecoder()
        .decode(userKeys.open(key, "u1", "screening", sealed))
        .getNames();
  }

  @Test
  void aW9sNamesAreSealedForScreeningApartFromItsTin() throws Exception {
    var names =
        List.of(
            new FormNames.Name(FormNames.W9_INDIVIDUAL, "Ada Lovelace", false, "1990-12-10", "GB"),
            new FormNames.Name(FormNames.W9_BUSINESS, "Analytical Engines LLC", true, null, "GB"));
    var event =
        new Event.TinSubmitted(
            "s1", "business", TinType.EIN, "417654321", "Analytical Engines LLC", true, names);

    TinSubmitted submitted = assertInstanceOf(TinSubmitted.class, payload(event));

    assertEquals(
        List.of(
            new ScreeningName("w9_individual", "Ada Lovelace", false, "1990-12-10", "GB"),
            new ScreeningName("w9_business", "Analytical Engines LLC", true, null, "GB")),
        opened(submitted.getScreening()));
    assertThrows(
        RuntimeException.class,
        () -> userKeys.open(key, "u1", "screening", submitted.getCheck()),
        "the TIN check does not open as names to screen");
    assertThrows(
        RuntimeException.class,
        () -> userKeys.open(key, "u1", "tin", submitted.getScreening()),
        "nor the names as a TIN check");
  }

  @Test
  void aW8BensNamesAreSealedForScreeningApartFromTheForm() throws Exception {
    var form =
        new Command.W8Ben(
            "Ada Lovelace", "FR", "1990-12-10", "AB123456C", null, null, null, null, "Ada", true);
    var event = new Event.W8BenSubmitted(form, FormNames.of(form));

    W8BenSubmitted submitted = assertInstanceOf(W8BenSubmitted.class, payload(event));

    assertEquals(
        List.of(
            new ScreeningName("w8ben", "Ada Lovelace", false, "1990-12-10", "FR"),
            new ScreeningName("w8ben_signature", "Ada", false, null, null)),
        opened(submitted.getScreening()));
    assertThrows(
        RuntimeException.class,
        () -> userKeys.open(key, "u1", "screening", submitted.getForm()),
        "the whole form does not open as names to screen");
  }
}
