package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Creates a user, or connects the existing person with this phone number to the platform. Keyed by
 * the E.164 phone ({@code +<country code><number>}), which is what user-command-service claims:
 * every create of one number is decided by one task, in order.
 *
 * <p>Without an idempotency key the key is derived from the content: the same create sent again (a
 * retry after a lost answer, or after a restart) is the same command. A deliberate second create
 * with the same content within the service's memory of command ids (24 hours at least) is answered
 * with the first one's result: give it a key of its own.
 */
public final class CreateUserCommand extends CommandBuilder<CreateUserCommand> {

  private String firstName;
  private String lastName;
  private String email;
  private String countryCode;
  private String phoneNumber;
  private String username;
  private String dateOfBirth;
  private Map<String, String> metadata = Map.of();

  CreateUserCommand() {}

  public CreateUserCommand firstName(String firstName) {
    this.firstName = firstName;
    return this;
  }

  public CreateUserCommand lastName(String lastName) {
    this.lastName = lastName;
    return this;
  }

  public CreateUserCommand email(String email) {
    this.email = email;
    return this;
  }

  /**
   * The phone: calling code ({@code "1"}, digits, no plus) and national number ({@code
   * "2025550123"}, digits).
   */
  public CreateUserCommand phone(String countryCode, String phoneNumber) {
    this.countryCode = countryCode;
    this.phoneNumber = phoneNumber;
    return this;
  }

  public CreateUserCommand username(String username) {
    this.username = username;
    return this;
  }

  /** ISO-8601 date, {@code YYYY-MM-DD}. */
  public CreateUserCommand dateOfBirth(String dateOfBirth) {
    this.dateOfBirth = dateOfBirth;
    return this;
  }

  /** The platform's own metadata about the person; no other platform reads it. */
  public CreateUserCommand metadata(Map<String, String> metadata) {
    this.metadata = Map.copyOf(metadata);
    return this;
  }

  /** The record key: the E.164 spelling of the phone. */
  String phoneKey() {
    return "+" + required(countryCode, "country_code") + required(phoneNumber, "phone_number");
  }

  /** A digest of every field, each length-prefixed so that no two contents spell the same. */
  @Override
  String derivedKey() {
    var canonical = new StringBuilder("create-user");
    for (String field :
        new String[] {
          firstName, lastName, email, countryCode, phoneNumber, username, dateOfBirth
        }) {
      append(canonical, field);
    }
    new TreeMap<>(metadata)
        .forEach(
            (k, v) -> {
              append(canonical, k);
              append(canonical, v);
            });
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return "content:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static void append(StringBuilder canonical, String field) {
    if (field == null) {
      canonical.append("|-");
    } else {
      canonical.append('|').append(field.length()).append(':').append(field);
    }
  }

  @Override
  PreparedCommand prepare(
      String platformId, String commandId, CommandSecrets secrets, Instant now) {
    var payload =
        new CreateUser(
            required(firstName, "first_name"),
            required(lastName, "last_name"),
            required(email, "email"),
            required(countryCode, "country_code"),
            required(phoneNumber, "phone_number"),
            username,
            dateOfBirth,
            metadata);
    var command =
        UserCommand.newBuilder()
            .setCommandId(commandId)
            .setPlatformId(platformId)
            .setIssuedAt(now)
            .setUserId(null)
            .setPayload(payload)
            .build();
    return new PreparedCommand(
        Topics.platformUserCommands(platformId).name(), phoneKey(), commandId, command);
  }
}
