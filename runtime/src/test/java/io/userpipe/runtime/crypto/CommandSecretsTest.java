package io.userpipe.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.EncryptedValue;
import org.junit.jupiter.api.Test;

/**
 * The secrets in commands are sealed under the edge keys, which are not the data keys: what one set
 * seals the other cannot open. An opener given the data keys too still opens what was sealed under
 * them before the edge keys existed (a command in flight at the upgrade).
 */
class CommandSecretsTest {

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final DataKeys edgeKeys = DataKeys.parseEdge(DataKeys.generateEntry("e1"), null);

  @Test
  void theEdgeSealsUnderTheEdgeKeys() {
    var sealed = new CommandSecrets(edgeKeys).sealTin("cmd-1", "123456789");
    assertEquals("e1", sealed.getKeyId());
    assertEquals("123456789", new CommandSecrets(edgeKeys, dataKeys).openTin("cmd-1", sealed));
  }

  @Test
  void aValueSealedUnderTheEdgeKeysDoesNotOpenWithTheDataKeys() {
    var sealed = new CommandSecrets(edgeKeys).sealAccountNumber("cmd-1", "000123456789");
    var e =
        assertThrows(DataKeys.CryptoException.class, () -> dataKeys.open(sealed, "account:cmd-1"));
    assertEquals("data key e1 is not configured", e.getMessage());
    // nor with a data key that happens to carry the same id: the bytes differ
    var sameId = DataKeys.parse(DataKeys.generateEntry("e1"), null);
    assertThrows(DataKeys.CryptoException.class, () -> sameId.open(sealed, "account:cmd-1"));
    assertThrows(
        DataKeys.CryptoException.class,
        () -> new UserKeys(dataKeys).seal(sealed, "cmd-1", "profile", new byte[1]),
        "nor does it pass for a user's wrapped key");
  }

  @Test
  void aValueSealedUnderTheDataKeysDoesNotOpenWithTheEdgeKeys() {
    EncryptedValue wrappedUserKey = new UserKeys(dataKeys).newWrappedKey("user-1");
    assertThrows(
        DataKeys.CryptoException.class,
        () -> new UserKeys(edgeKeys).seal(wrappedUserKey, "user-1", "profile", new byte[1]),
        "the edge keys unwrap no user's key");
    var sealedCode = dataKeys.seal("123456".getBytes(), "verify:cmd-1");
    var e =
        assertThrows(
            DataKeys.CryptoException.class,
            () -> new CommandSecrets(edgeKeys).openCode("cmd-1", sealedCode));
    assertEquals("edge key k1 is not configured", e.getMessage());
  }

  @Test
  void aCommandSealedUnderTheDataKeysBeforeTheUpgradeStillOpens() {
    // what the edge wrote before the edge keys existed: CommandSecrets over the data keys
    var before = new CommandSecrets(dataKeys);
    var opener = new CommandSecrets(edgeKeys, dataKeys);
    assertEquals("123456", opener.openCode("cmd-1", before.sealCode("cmd-1", "123456")));
    assertEquals("123456789", opener.openTin("cmd-2", before.sealTin("cmd-2", "123456789")));
    assertEquals(
        "000123", opener.openAccountNumber("cmd-3", before.sealAccountNumber("cmd-3", "000123")));
    assertEquals(
        "DE-1", opener.openForeignTaxId("cmd-4", before.sealForeignTaxId("cmd-4", "DE-1")));
    // still bound to its command: the fallback opens no value replayed in another one
    var tin = before.sealTin("cmd-2", "123456789");
    assertThrows(DataKeys.CryptoException.class, () -> opener.openTin("cmd-5", tin));
  }

  @Test
  void aKeyIdOfNeitherSetDoesNotOpen() {
    var foreign = DataKeys.parse(DataKeys.generateEntry("x1"), null);
    var sealed = new CommandSecrets(foreign).sealTin("cmd-1", "123456789");
    var e =
        assertThrows(
            DataKeys.CryptoException.class,
            () -> new CommandSecrets(edgeKeys, dataKeys).openTin("cmd-1", sealed));
    assertTrue(e.getMessage().startsWith("edge key x1"), e.getMessage());
  }
}
