package io.userpipe.runtime.crypto;

import io.userpipe.schemas.EncryptedValue;
import java.nio.charset.StandardCharsets;

/**
 * Secrets inside commands (one-time codes, TINs, foreign tax ids, account numbers), sealed by
 * whoever publishes the command — the HTTP edge or an upstream service holding the data keys — and
 * opened only by the service that decides it. Each is bound to its command id, so a sealed value
 * cannot be replayed in another command.
 */
public final class CommandSecrets {

  private final DataKeys dataKeys;

  public CommandSecrets(DataKeys dataKeys) {
    this.dataKeys = dataKeys;
  }

  public EncryptedValue sealCode(String commandId, String code) {
    return dataKeys.seal(code.getBytes(StandardCharsets.UTF_8), "verify:" + commandId);
  }

  public String openCode(String commandId, EncryptedValue sealed) {
    return new String(dataKeys.open(sealed, "verify:" + commandId), StandardCharsets.UTF_8);
  }

  public EncryptedValue sealTin(String commandId, String tin) {
    return dataKeys.seal(tin.getBytes(StandardCharsets.UTF_8), "tin:" + commandId);
  }

  public String openTin(String commandId, EncryptedValue sealed) {
    return new String(dataKeys.open(sealed, "tin:" + commandId), StandardCharsets.UTF_8);
  }

  public EncryptedValue sealAccountNumber(String commandId, String accountNumber) {
    return dataKeys.seal(accountNumber.getBytes(StandardCharsets.UTF_8), "account:" + commandId);
  }

  public String openAccountNumber(String commandId, EncryptedValue sealed) {
    return new String(dataKeys.open(sealed, "account:" + commandId), StandardCharsets.UTF_8);
  }

  public EncryptedValue sealForeignTaxId(String commandId, String id) {
    return dataKeys.seal(id.getBytes(StandardCharsets.UTF_8), "ftin:" + commandId);
  }

  public String openForeignTaxId(String commandId, EncryptedValue sealed) {
    return new String(dataKeys.open(sealed, "ftin:" + commandId), StandardCharsets.UTF_8);
  }
}
