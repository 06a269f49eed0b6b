package io.userpipe.runtime.crypto;

import io.userpipe.schemas.EncryptedValue;
import java.nio.charset.StandardCharsets;

/**
 * Secrets inside commands (one-time codes, TINs, foreign tax ids, account numbers), sealed by
 * whoever publishes the command — the HTTP edge or an upstream service holding the edge keys
 * ({@code EDGE_KEYS}) — and opened only by the service that decides it. Each is bound to its
 * command id, so a sealed value cannot be replayed in another command.
 *
 * <p>The edge keys are not the data keys: whoever can seal a TIN must not thereby be able to unwrap
 * users' keys. Before the edge keys existed these secrets were sealed under the data keys, and such
 * commands may still wait on {@code users.commands} at an upgrade (or come from an upstream service
 * not yet given the edge keys). So the opener, given the data keys too, opens a value whose key id
 * is not an edge key's under the data keys; the key ids of the two sets are kept apart ({@code
 * Secret}) so a key id names one set. Sealing always uses the edge keys.
 */
public final class CommandSecrets {

  private final DataKeys edgeKeys;
  private final DataKeys formerlyDataKeys;

  /** A sealer (the edge): opens only what the edge keys sealed. */
  public CommandSecrets(DataKeys edgeKeys) {
    this(edgeKeys, null);
  }

  /**
   * An opener that also accepts secrets sealed under the data keys before the edge keys existed.
   *
   * @param dataKeys the data keys, or null for none
   */
  public CommandSecrets(DataKeys edgeKeys, DataKeys dataKeys) {
    this.edgeKeys = edgeKeys;
    this.formerlyDataKeys = dataKeys;
  }

  public EncryptedValue sealCode(String commandId, String code) {
    return seal(code, "verify:" + commandId);
  }

  public String openCode(String commandId, EncryptedValue sealed) {
    return open(sealed, "verify:" + commandId);
  }

  public EncryptedValue sealTin(String commandId, String tin) {
    return seal(tin, "tin:" + commandId);
  }

  public String openTin(String commandId, EncryptedValue sealed) {
    return open(sealed, "tin:" + commandId);
  }

  public EncryptedValue sealAccountNumber(String commandId, String accountNumber) {
    return seal(accountNumber, "account:" + commandId);
  }

  public String openAccountNumber(String commandId, EncryptedValue sealed) {
    return open(sealed, "account:" + commandId);
  }

  public EncryptedValue sealForeignTaxId(String commandId, String id) {
    return seal(id, "ftin:" + commandId);
  }

  public String openForeignTaxId(String commandId, EncryptedValue sealed) {
    return open(sealed, "ftin:" + commandId);
  }

  private EncryptedValue seal(String secret, String context) {
    return edgeKeys.seal(secret.getBytes(StandardCharsets.UTF_8), context);
  }

  private String open(EncryptedValue sealed, String context) {
    String id = sealed.getKeyId();
    DataKeys keys =
        !edgeKeys.has(id) && formerlyDataKeys != null && formerlyDataKeys.has(id)
            ? formerlyDataKeys
            : edgeKeys;
    return new String(keys.open(sealed, context), StandardCharsets.UTF_8);
  }
}
