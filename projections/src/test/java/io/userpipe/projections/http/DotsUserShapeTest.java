package io.userpipe.projections.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.projections.view.Connections;
import io.userpipe.runtime.http.Json;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A view as the previous version wrote it, answered in Dots' shape: the default named by its kind,
 * several methods of one kind (allowed before) all listed, Dots' compliance fields derived, the
 * user status showing an OFAC case, an unscreened user never null, a string metadata a string.
 */
class DotsUserShapeTest {

  private static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");
  private static final EncryptedValue SEALED =
      new EncryptedValue("k", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {1}));

  /** Two ACH accounts and a PayPal one, the second ACH the default: the previous version's view. */
  private static UserView.Builder legacyView(String ofacStatus) {
    return UserView.newBuilder()
        .setId("u1")
        .setVersion(9)
        .setPlatforms(List.of("A"))
        .setConnections(
            List.of(
                Connection.newBuilder()
                    .setPlatformId("A")
                    .setStatus(Connections.CONNECTED)
                    .setSince(CREATED)
                    .build()))
        .setProfile(SEALED)
        .setStatus("verified")
        .setCompliance(
            ComplianceView.newBuilder()
                .setTaxIdCollected(true)
                .setTinLast4("8765")
                .setEntityType("individual")
                .setTaxIdVerification("matched")
                .setOfacStatus(ofacStatus)
                .build())
        .setPayoutMethods(
            List.of(
                new PayoutMethodSummary("pm_a", "ach", "****1111", "checking", SEALED),
                new PayoutMethodSummary("pm_b", "ach", "****2222", "savings", SEALED),
                new PayoutMethodSummary("pm_p", "paypal", "a***@example.com", null, SEALED)))
        .setDefaultPayoutMethod("pm_b")
        .setCreated(CREATED)
        .setUpdated(CREATED);
  }

  private static Map<?, ?> json(UserView v, Map<String, String> metadata) {
    var profile =
        UserProfile.newBuilder()
            .setFirstName("Ada")
            .setLastName("Lovelace")
            .setEmail("ada@example.com")
            .setPhone(new PhoneNumber("1", "2025550173", "+12025550173"))
            .setDateOfBirth("1990-12-10")
            .build();
    var seen = new SeenUser(v, v.getConnections().get(0), profile, metadata);
    return Json.mapper().convertValue(UserJson.render(seen), Map.class);
  }

  @Test
  void theDefaultIsNamedByItsKindAndItsDetailsNameThePlatform() {
    var json = json(legacyView("unflagged").build(), Map.of());
    assertEquals("ach", json.get("default_payout_method"));
    var details = (Map<?, ?>) json.get("default_payout_method_details");
    assertEquals("pm_b", details.get("id"));
    assertEquals("ach", details.get("platform"));
    assertEquals("****2222", details.get("mask"));
    assertEquals("US", details.get("country"));
    assertEquals("USD", details.get("currency"));
    assertFalse(details.containsKey("type"));
    assertFalse(details.containsKey("account_number"));
    assertFalse(details.containsKey("routing_number"));
  }

  @Test
  void severalMethodsOfOneKindFromBeforeAreAllListedAndTheLatestOfAKindIsFound() {
    UserView v = legacyView("unflagged").build();
    assertEquals(3, v.getPayoutMethods().size());
    assertEquals("pm_b", PayoutMethodsApi.methodOfKind(v, "ach").orElseThrow().getId());
    assertEquals("pm_p", PayoutMethodsApi.methodOfKind(v, "paypal").orElseThrow().getId());
    assertTrue(PayoutMethodsApi.methodOfKind(v, "venmo").isEmpty());
  }

  @Test
  void dotsComplianceFieldsAreDerived() {
    var c = (Map<?, ?>) json(legacyView("unflagged").build(), Map.of()).get("compliance");
    assertEquals("matched", c.get("tax_id_verification"));
    assertEquals(false, c.get("address_collected"));
    assertEquals(true, c.get("date_of_birth_collected"));
    assertEquals(true, c.get("must_collect_1099"));
    assertEquals(true, c.get("1099_collected"));
    assertEquals(false, c.get("flagged"));
    var flags = (Map<?, ?>) c.get("flags");
    assertEquals("unflagged", flags.get("ofac_status"));
    assertEquals(false, flags.get("payout_method"));
    assertEquals("matched", ((Map<?, ?>) c.get("w9")).get("tax_id_verification"));
  }

  @Test
  void anOfacCaseShowsInTheUserStatus() {
    assertEquals("verified", json(legacyView("unflagged").build(), Map.of()).get("status"));
    assertEquals(
        "in_review", json(legacyView("id_verification_required").build(), Map.of()).get("status"));
    assertEquals("in_review", json(legacyView("in_review").build(), Map.of()).get("status"));
    assertEquals("disabled", json(legacyView("flagged").build(), Map.of()).get("status"));
  }

  @Test
  void aUserNotScreenedYetReadsInReviewNeverNull() {
    var json = json(legacyView(null).build(), Map.of());
    var c = (Map<?, ?>) json.get("compliance");
    var flags = (Map<?, ?>) c.get("flags");
    assertEquals("in_review", flags.get("ofac_status"));
    assertEquals(true, flags.get("ofac"));
    assertEquals(true, c.get("flagged"));
    assertEquals("verified", json.get("status"), "no case is open yet: the phone's status");
    assertEquals(false, json.get("payable"));
  }

  @Test
  void aStringMetadataIsAnsweredAsAString() {
    var v = legacyView("unflagged").build();
    assertEquals(
        "customer 42",
        json(v, Map.of(UserJson.STRING_METADATA_KEY, "customer 42")).get("metadata"));
    assertEquals(Map.of("team", "navy"), json(v, Map.of("team", "navy")).get("metadata"));
  }
}
