package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * bin/rotate-keys without a broker: which key is active, from ids alone; its usage. The rotation
 * itself runs end to end in {@code KeyRotationTest} (local).
 */
class RotateKeysToolTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private RotateKeysTool tool(Map<String, String> settings) {
    var all = new java.util.HashMap<>(settings);
    all.put(AppConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1"); // never reached here
    return new RotateKeysTool(
        AppConfig.of(all),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        "ops",
        Clock.systemUTC());
  }

  @Test
  void theActiveKeyIsActiveDataKeyOrElseTheFirstIdOfDataKeysNeverItsMaterial() {
    String k1 = DataKeys.generateEntry("k1");
    String k2 = DataKeys.generateEntry("k2");
    assertEquals(
        Optional.of("k2"),
        tool(Map.of(DataKeys.DATA_KEYS, k1 + "," + k2, DataKeys.ACTIVE_DATA_KEY, "k2"))
            .activeKeyId());
    assertEquals(Optional.of("k2"), tool(Map.of(DataKeys.ACTIVE_DATA_KEY, "k2")).activeKeyId());
    assertEquals(Optional.of("k1"), tool(Map.of(DataKeys.DATA_KEYS, k1 + "," + k2)).activeKeyId());
    assertEquals(Optional.empty(), tool(Map.of()).activeKeyId());
  }

  @Test
  void rewrapWithoutTheActiveKeysIdSendsNothingAndSaysWhatIsMissing() throws Exception {
    assertEquals(2, tool(Map.of()).run(new String[] {"rewrap"}));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("set ACTIVE_DATA_KEY"));
  }

  @Test
  void anUnknownSubcommandPrintsTheUsage() throws Exception {
    assertEquals(2, tool(Map.of()).run(new String[] {"rewrap", "--everything"}));
    assertEquals(2, tool(Map.of()).run(new String[] {}));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(RotateKeysTool.USAGE));
  }

  @Test
  void aUsersCommandIdNamesTheUserAndTheActiveKeySoThatAReRunSendsTheSameCommand() {
    assertEquals("rewrap-u1-k2", RotateKeysTool.commandId("u1", "k2"));
  }
}
