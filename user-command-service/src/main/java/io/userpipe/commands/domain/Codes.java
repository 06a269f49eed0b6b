package io.userpipe.commands.domain;

/** Makes and checks one-time codes; the decider never sees how. */
public interface Codes {

  /** A fresh code, e.g. six random digits. */
  String newCode();

  /** The keyed hash under which a user's code is kept. */
  byte[] hash(String userId, String code);

  /** Does the guess hash to the stored hash? In constant time. */
  boolean matches(String userId, String guess, byte[] storedHash);
}
