package io.userpipe.ofac.topology;

import io.userpipe.ofac.domain.ScreenedName;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacUserState;
import io.userpipe.schemas.ScreeningName;
import io.userpipe.schemas.ScreeningNames;
import io.userpipe.schemas.UserProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what the screener may read of a person, with the person's key: the profile (purpose {@code
 * profile}) and each tax form's names to screen (purpose {@code screening}). Those are the only
 * purposes it opens: never a TIN check ({@code tin}) nor a W-8BEN ({@code w8ben}), which hold tax
 * ids (docs/SECURITY.md, "Who holds what").
 */
final class SealedNames {
  private static final Logger log = LoggerFactory.getLogger(SealedNames.class);

  /** The key of a W-9's names in {@code OfacUserState.form_names}. */
  static final String W9 = "w9";

  /** The key of a W-8BEN's names in {@code OfacUserState.form_names}. */
  static final String W8BEN = "w8ben";

  /** The forms in the order their names are screened, after the profile's. */
  private static final List<String> FORMS = List.of(W9, W8BEN);

  private final UserKeys userKeys;

  SealedNames(UserKeys userKeys) {
    this.userKeys = userKeys;
  }

  /** The user's profile, or null (logged) when it cannot be opened. */
  UserProfile profile(OfacUserState state, EncryptedValue key) {
    try {
      byte[] plain = userKeys.open(key, state.getUserId(), "profile", state.getProfile());
      return UserProfile.getDecoder().decode(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      log.warn(
          "Profile of user {} cannot be opened ({}); not screened",
          state.getUserId(),
          e.toString());
      return null;
    }
  }

  /** The tax forms' names, W-9 then W-8BEN; a form whose names cannot be opened is left out. */
  List<ScreenedName> forms(OfacUserState state, EncryptedValue key) {
    List<ScreenedName> names = new ArrayList<>();
    for (String form : FORMS) {
      EncryptedValue sealed = state.getFormNames().get(form);
      if (sealed == null) {
        continue;
      }
      try {
        byte[] plain = userKeys.open(key, state.getUserId(), "screening", sealed);
        for (ScreeningName n : ScreeningNames.getDecoder().decode(plain).getNames()) {
          names.add(
              new ScreenedName(
                  n.getSource(), n.getName(), n.getBusiness(), n.getDateOfBirth(), n.getCountry()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        log.warn(
            "The {} names of user {} cannot be opened ({}); not screened",
            form,
            state.getUserId(),
            e.toString());
      }
    }
    return names;
  }

  /** Every name to screen: the profile's, then the forms'. */
  static List<ScreenedName> all(UserProfile profile, List<ScreenedName> forms) {
    List<ScreenedName> names = new ArrayList<>();
    names.add(profileName(profile));
    names.addAll(forms);
    return names;
  }

  /**
   * The profile's name, with its date of birth; no country (the profile's address is a form's). The
   * last_name is its family name: leaving it out is no mere omission (docs/OFAC.md, step 4).
   */
  static ScreenedName profileName(UserProfile profile) {
    return new ScreenedName(
        ScreenedName.PROFILE,
        profile.getFirstName() + " " + profile.getLastName(),
        false,
        profile.getDateOfBirth(),
        null,
        profile.getLastName());
  }

  /** The forms' names as a decision's subject keeps them. */
  static List<ScreeningName> toAvro(List<ScreenedName> forms) {
    return forms.stream()
        .map(
            n ->
                new ScreeningName(n.source(), n.name(), n.business(), n.dateOfBirth(), n.country()))
        .toList();
  }
}
