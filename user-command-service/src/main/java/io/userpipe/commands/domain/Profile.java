package io.userpipe.commands.domain;

import java.util.Set;
import java.util.TreeSet;

/**
 * A person's personal data, shared by the platforms the person connected to. Outside this service's
 * memory it only ever exists sealed. Metadata is not here: it is each platform's own ({@link
 * Connection#metadata()}).
 */
public record Profile(
    String firstName,
    String lastName,
    String email,
    Phone phone,
    String username,
    String dateOfBirth,
    Command.Address address) {

  /** The profile's fields by their JSON names, as {@link Connection#fieldsSent()} names them. */
  public static final Set<String> ALL_FIELDS =
      Set.of(
          "first_name",
          "last_name",
          "email",
          "phone_number",
          "username",
          "date_of_birth",
          "address");

  public Profile(
      String firstName,
      String lastName,
      String email,
      Phone phone,
      String username,
      String dateOfBirth) {
    this(firstName, lastName, email, phone, username, dateOfBirth, null);
  }

  /** The same profile at another address (that of a tax form). */
  public Profile withAddress(Command.Address newAddress) {
    return new Profile(firstName, lastName, email, phone, username, dateOfBirth, newAddress);
  }

  /** The names of the fields this profile holds a value for. */
  public Set<String> fieldsGiven() {
    Set<String> given = new TreeSet<>();
    add(given, "first_name", firstName);
    add(given, "last_name", lastName);
    add(given, "email", email);
    add(given, "phone_number", phone);
    add(given, "username", username);
    add(given, "date_of_birth", dateOfBirth);
    add(given, "address", address);
    return given;
  }

  private static void add(Set<String> given, String name, Object value) {
    if (value != null) {
      given.add(name);
    }
  }
}
