package io.userpipe.commands.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The names a tax form gives for its person, each to be screened against the SDN list (issue 18:
 * every name the system holds for a person is screened, not only the profile's). They travel apart
 * from the form's tax id, so the screener that reads them never holds a TIN.
 */
public final class FormNames {
  public static final String W9_INDIVIDUAL = "w9_individual";
  public static final String W9_BUSINESS = "w9_business";
  public static final String W8BEN = "w8ben";
  public static final String W8BEN_SIGNATURE = "w8ben_signature";

  /**
   * One name to screen, with what the form says about whom it names: its date of birth and country
   * agree or disagree with a listed entry's, as the profile's date of birth does.
   *
   * @param business a business name, screened against listed entities rather than individuals
   */
  public record Name(
      String source, String name, boolean business, String dateOfBirth, String country) {}

  private FormNames() {}

  /**
   * A W-9's names: the individual's (also when a business's W-9 gives one, the owner's), and the
   * business name.
   */
  public static List<Name> of(Command.W9 w9) {
    List<Name> names = new ArrayList<>();
    String country = w9.address() == null ? null : w9.address().country();
    String person = join(w9.firstName(), w9.lastName());
    if (!person.isEmpty()) {
      names.add(new Name(W9_INDIVIDUAL, person, false, w9.dateOfBirth(), country));
    }
    if (!blank(w9.businessName())) {
      names.add(new Name(W9_BUSINESS, w9.businessName().strip(), true, null, country));
    }
    return List.copyOf(names);
  }

  /**
   * A W-8BEN's names: the beneficial owner's, and the signer's when someone else signed (an agent
   * acting for the owner is a person the system holds too). Citizenship is the form's country.
   */
  public static List<Name> of(Command.W8Ben w8) {
    List<Name> names = new ArrayList<>();
    String owner = blank(w8.name()) ? "" : w8.name().strip();
    if (!owner.isEmpty()) {
      names.add(new Name(W8BEN, owner, false, w8.dateOfBirth(), w8.citizenshipCountry()));
    }
    String signer = blank(w8.signatureName()) ? "" : w8.signatureName().strip();
    if (!signer.isEmpty() && !normalized(signer).equals(normalized(owner))) {
      names.add(new Name(W8BEN_SIGNATURE, signer, false, null, null));
    }
    return List.copyOf(names);
  }

  private static String join(String first, String last) {
    return ((blank(first) ? "" : first.strip()) + " " + (blank(last) ? "" : last.strip())).strip();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String normalized(String s) {
    return s.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
