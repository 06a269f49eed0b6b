package io.userpipe.commands.domain;

import java.time.Instant;

/** A command with what identifies it: who sent it, when, and which user it targets. */
public record CommandEnvelope(
    String commandId, String platformId, Instant issuedAt, String userId, Command command) {

  public CommandEnvelope withUserId(String newUserId) {
    return new CommandEnvelope(commandId, platformId, issuedAt, newUserId, command);
  }

  /** The command's type as results name it, e.g. {@code CreateUser}. */
  public String type() {
    return command.getClass().getSimpleName();
  }
}
