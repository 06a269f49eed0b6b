package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.commands.domain.Command.Address;
import io.userpipe.commands.domain.Command.W8Ben;
import io.userpipe.commands.domain.Command.W9;
import io.userpipe.commands.domain.FormNames.Name;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which names of a tax form are screened, with the form's date of birth and country. */
class FormNamesTest {
  private static final Address LONDON =
      new Address("12 St James's Square", null, "London", null, "SW1Y 4JH", "GB");

  @Test
  void anIndividualsW9GivesTheIndividualsNameWithItsDateOfBirthAndAddressCountry() {
    // given an individual's W-9 with an address
    var w9 = new W9("individual", " Ada ", "Lovelace", null, "1990-12-10", "tin", null, LONDON);
    // when its names are taken
    List<Name> names = FormNames.of(w9);
    // then the one name, as the form gives it
    assertEquals(
        List.of(new Name(FormNames.W9_INDIVIDUAL, "Ada Lovelace", false, "1990-12-10", "GB")),
        names);
  }

  @Test
  void aBusinessW9GivesTheBusinessNameAsABusinessAndTheOwnersNameWhenItHasOne() {
    // given a business's W-9, without and with an owner's name
    var bare = new W9("business", null, null, "Banco Nacional de Cuba", null, "tin", null, null);
    var owned =
        new W9("business", "Ada", "Lovelace", "Analytical Engines LLC", null, "tin", null, LONDON);
    // when their names are taken
    // then the business name is screened as a business, and the owner's as a person
    assertEquals(
        List.of(new Name(FormNames.W9_BUSINESS, "Banco Nacional de Cuba", true, null, null)),
        FormNames.of(bare));
    assertEquals(
        List.of(
            new Name(FormNames.W9_INDIVIDUAL, "Ada Lovelace", false, null, "GB"),
            new Name(FormNames.W9_BUSINESS, "Analytical Engines LLC", true, null, "GB")),
        FormNames.of(owned));
  }

  @Test
  void aW8BenGivesTheOwnersNameWithCitizenshipAndASignerOnlyWhenSomeoneElseSigned() {
    // given a W-8BEN signed by its owner, and one signed by an agent
    var self = w8ben("Ada Lovelace", "ada  LOVELACE");
    var agent = w8ben("Ada Lovelace", "Charles Babbage");
    // when their names are taken
    // then the owner's name with the form's date of birth and citizenship; an agent's too
    Name owner = new Name(FormNames.W8BEN, "Ada Lovelace", false, "1990-12-10", "FR");
    assertEquals(List.of(owner), FormNames.of(self));
    assertEquals(
        List.of(owner, new Name(FormNames.W8BEN_SIGNATURE, "Charles Babbage", false, null, null)),
        FormNames.of(agent));
  }

  private static W8Ben w8ben(String name, String signer) {
    return new W8Ben(name, "FR", "1990-12-10", null, null, null, null, LONDON, signer, true);
  }
}
