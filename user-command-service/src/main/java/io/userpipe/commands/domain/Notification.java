package io.userpipe.commands.domain;

/** Something to tell the user outside the event log. */
public sealed interface Notification {

  /** A text message; its text may hold a one-time code, so it only travels sealed. */
  record Sms(String to, String text) implements Notification {}
}
