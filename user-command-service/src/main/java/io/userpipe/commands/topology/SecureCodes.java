package io.userpipe.commands.topology;

import io.userpipe.commands.domain.Codes;
import io.userpipe.runtime.crypto.SecretHasher;
import java.security.SecureRandom;
import java.util.Locale;

/** Six digits from SecureRandom, kept as an HMAC bound to the user. */
final class SecureCodes implements Codes {

  private final SecureRandom random = new SecureRandom();
  private final SecretHasher hasher;

  SecureCodes(SecretHasher hasher) {
    this.hasher = hasher;
  }

  @Override
  public String newCode() {
    return String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
  }

  @Override
  public byte[] hash(String userId, String code) {
    return hasher.hash("code:" + userId, code);
  }

  @Override
  public boolean matches(String userId, String guess, byte[] storedHash) {
    return hasher.matches("code:" + userId, guess, storedHash);
  }
}
