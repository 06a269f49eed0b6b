package io.userpipe.runtime.config;

import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings that are secrets, each read through here so that, outside the explicitly local demo
 * ({@link AppConfig#isLocalDemo}), a service refuses to start when one it needs is missing or is a
 * value this repository publishes ({@link DemoSecrets}). The refusal's message names the setting
 * and says how to generate a value.
 */
public enum Secret {
  DATA_KEYS(
      "DATA_KEYS",
      true,
      "id:key entries, comma-separated, each key 32 random bytes in base64,"
          + " e.g. DATA_KEYS=k1:$(openssl rand -base64 32)") {
    @Override
    Optional<String> problem(String value) {
      return keySetProblem(value);
    }
  },
  /** The edge secrets' keys (TINs, account numbers, codes in commands): not the data keys. */
  EDGE_KEYS(
      "EDGE_KEYS",
      true,
      "id:key entries, comma-separated, each key 32 random bytes in base64, with ids and keys"
          + " of their own (not those of DATA_KEYS), e.g. EDGE_KEYS=e1:$(openssl rand -base64 32)") {
    @Override
    Optional<String> problem(String value) {
      return keySetProblem(value);
    }
  },
  CODE_HASH_KEY(
      "CODE_HASH_KEY",
      true,
      "32 random bytes in base64, e.g. CODE_HASH_KEY=$(openssl rand -base64 32)") {
    @Override
    Optional<String> problem(String value) {
      byte[] key = base64(value);
      return key != null && DemoSecrets.isPublishedKey(key)
          ? Optional.of("is a published demo key")
          : Optional.empty();
    }
  },
  PLATFORMS(
      "PLATFORMS",
      false,
      "platform_id:client_id:sha256hex entries, each the SHA-256 of an API key of at least 32"
          + " random characters (key=$(openssl rand -hex 32);"
          + " hash=$(printf %s \"$key\" | sha256sum | cut -c1-64))") {
    @Override
    Optional<String> problem(String value) {
      for (String entry : value.split(",")) {
        String[] parts = entry.trim().split(":");
        if (parts.length == 3
            && DemoSecrets.PLATFORM_KEY_HASHES.contains(parts[2].toLowerCase(Locale.ROOT))) {
          return Optional.of("gives client " + parts[1] + " a published demo key");
        }
      }
      return Optional.empty();
    }
  },
  ADMIN_TOKEN(
      "ADMIN_TOKEN",
      false,
      "at least 32 random characters, e.g. ADMIN_TOKEN=$(openssl rand -hex 32): the secret of the"
          + " local demo's first operator (no service reads it; operators are made with"
          + " bin/operators)") {
    @Override
    Optional<String> problem(String value) {
      return tokenProblem(value);
    }
  },
  INTERNAL_TOKEN(
      "INTERNAL_TOKEN",
      true,
      "at least 32 random characters, the same on every projections instance and used for"
          + " nothing else, e.g. INTERNAL_TOKEN=$(openssl rand -hex 32)") {
    @Override
    Optional<String> problem(String value) {
      return tokenProblem(value);
    }
  };

  /** Tokens compared as presented: shorter than this, they can be guessed or were typed. */
  static final int MIN_TOKEN_LENGTH = 32;

  private static final String SETUP = "; bin/setup-secrets generates every secret into .env";

  private final String key;
  private final boolean required;
  private final String howToSet;

  Secret(String key, boolean required, String howToSet) {
    this.key = key;
    this.required = required;
    this.howToSet = howToSet;
  }

  /** The environment variable. */
  public String key() {
    return key;
  }

  /** Why this value must not be used outside the demo, if it must not. */
  abstract Optional<String> problem(String value);

  /**
   * The value, checked.
   *
   * @throws Refused when it is not set (and required), or is a published value outside the demo
   */
  public Optional<String> find(AppConfig config) {
    Optional<String> value = config.find(key);
    if (value.isEmpty()) {
      if (required) {
        throw refused("is not set");
      }
      return value;
    }
    Optional<String> why = config.isLocalDemo() ? Optional.empty() : problem(value.get());
    if (why.isPresent()) {
      throw refused(why.get());
    }
    return value;
  }

  /** The value of a required secret, checked ({@link #find}). */
  public String require(AppConfig config) {
    return find(config).orElseThrow(() -> refused("is not set"));
  }

  /**
   * Checks every secret a service needs at once, before it touches anything: a missing or published
   * one, or two purposes sharing one token.
   */
  public static void check(AppConfig config, Collection<Secret> needed) {
    for (Secret secret : needed) {
      secret.find(config);
    }
    if (!config.isLocalDemo()
        && needed.contains(ADMIN_TOKEN)
        && needed.contains(INTERNAL_TOKEN)
        && config.find(ADMIN_TOKEN.key).equals(config.find(INTERNAL_TOKEN.key))) {
      throw INTERNAL_TOKEN.refused("equals ADMIN_TOKEN (a secret serves one purpose)");
    }
    if (needed.contains(EDGE_KEYS) && needed.contains(DATA_KEYS)) {
      Optional<String> shared =
          sharedKey(config.find(EDGE_KEYS.key).orElse(""), config.find(DATA_KEYS.key).orElse(""));
      if (shared.isPresent()) {
        throw EDGE_KEYS.refused(shared.get());
      }
    }
  }

  /**
   * Whether two key sets share a key, or a key id: a value's key id says which set opens it (the
   * edge keys' fallback to the data keys, {@code CommandSecrets}, relies on that), and a key that
   * seals edge secrets must not also unwrap users' keys. Checked in the demo too: it never needs to
   * share one.
   */
  static Optional<String> sharedKey(String edgeKeys, String dataKeys) {
    var dataIds = new HashSet<String>();
    var dataBytes = new HashSet<String>();
    for (String entry : dataKeys.split(",")) {
      int colon = entry.indexOf(':');
      if (colon > 0) {
        dataIds.add(entry.substring(0, colon).trim());
        byte[] key = base64(entry.substring(colon + 1));
        if (key != null) {
          dataBytes.add(Base64.getEncoder().encodeToString(key));
        }
      }
    }
    for (String entry : edgeKeys.split(",")) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String id = entry.substring(0, colon).trim();
      byte[] key = base64(entry.substring(colon + 1));
      if (key != null && dataBytes.contains(Base64.getEncoder().encodeToString(key))) {
        return Optional.of("key " + id + " is also a DATA_KEYS key (a key serves one purpose)");
      }
      if (dataIds.contains(id)) {
        return Optional.of(
            "key id " + id + " is also a DATA_KEYS key id (a key serves one purpose)");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> keySetProblem(String value) {
    for (String entry : value.split(",")) {
      int colon = entry.indexOf(':');
      byte[] key = colon < 0 ? null : base64(entry.substring(colon + 1));
      if (key != null && DemoSecrets.isPublishedKey(key)) {
        return Optional.of("key " + entry.substring(0, colon).trim() + " is a published demo key");
      }
    }
    return Optional.empty();
  }

  private Refused refused(String why) {
    return new Refused(key + " " + why + ": set " + key + " to " + howToSet + SETUP);
  }

  private static Optional<String> tokenProblem(String value) {
    if (DemoSecrets.TOKENS.contains(value)) {
      return Optional.of("is a published demo value");
    }
    if (value.length() < MIN_TOKEN_LENGTH) {
      return Optional.of("is shorter than " + MIN_TOKEN_LENGTH + " characters");
    }
    return Optional.empty();
  }

  private static byte[] base64(String s) {
    try {
      return Base64.getDecoder().decode(s.trim());
    } catch (IllegalArgumentException e) {
      return null; // not a key at all: its parser says so
    }
  }

  /** A secret that is missing or must not be used: the service refuses to start. */
  public static final class Refused extends IllegalStateException {
    public Refused(String message) {
      super(message);
    }
  }
}
