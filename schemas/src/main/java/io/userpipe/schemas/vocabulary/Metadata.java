package io.userpipe.schemas.vocabulary;

/**
 * A platform's metadata on a user: Dots takes it as a string or as an object of strings. Commands
 * and events hold a map of strings; a string is held under the one key {@link #STRING_KEY}, which
 * an object may therefore not use (the HTTP door refuses it).
 */
public final class Metadata {
  /** The key a string metadata is held under. */
  public static final String STRING_KEY = "";

  private Metadata() {}
}
