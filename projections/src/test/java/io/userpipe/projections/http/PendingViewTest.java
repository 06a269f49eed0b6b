package io.userpipe.projections.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.userpipe.projections.view.Connections;
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
 * What a platform sees of a person: pending, only what it sent itself and nothing of the person's;
 * connected, the shared profile; either way only its own metadata.
 */
class PendingViewTest {

  private static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");
  private static final Instant ASKED = Instant.parse("2026-11-24T12:00:00Z");
  private static final EncryptedValue SEALED =
      new EncryptedValue("k", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {1}));

  private static UserView view(String bStatus) {
    return UserView.newBuilder()
        .setId("u1")
        .setVersion(7)
        .setPlatforms(List.of("A", "B"))
        .setConnections(
            List.of(
                Connection.newBuilder()
                    .setPlatformId("A")
                    .setStatus(Connections.CONNECTED)
                    .setSince(CREATED)
                    .build(),
                Connection.newBuilder()
                    .setPlatformId("B")
                    .setStatus(bStatus)
                    .setSince(ASKED)
                    .build()))
        .setProfile(SEALED)
        .setStatus("verified")
        .setCompliance(
            ComplianceView.newBuilder()
                .setTaxIdCollected(true)
                .setTinLast4("6789")
                .setTaxIdVerification("matched")
                .setOfacStatus("unflagged")
                .build())
        .setPayoutMethods(
            List.of(new PayoutMethodSummary("pm_1", "ach", "****6789", "checking", SEALED)))
        .setDefaultPayoutMethod("pm_1")
        .setCreated(CREATED)
        .setUpdated(CREATED)
        .build();
  }

  private static UserProfile profile(String first, String email, String dob) {
    return UserProfile.newBuilder()
        .setFirstName(first)
        .setLastName("Johnson")
        .setEmail(email)
        .setPhone(new PhoneNumber("1", "2025550173", "+12025550173"))
        .setDateOfBirth(dob)
        .build();
  }

  @Test
  void aPendingPlatformSeesOnlyWhatItSentAndNothingOfThePersons() {
    UserView v = view(Connections.PENDING);
    var seen =
        new SeenUser(
            v,
            v.getConnections().get(1),
            profile("Kathy", "b@example.com", null),
            Map.of("b", "1"));
    Map<String, Object> json = json(UserJson.render(seen));
    assertEquals("u1", json.get("id"));
    assertEquals("Kathy", json.get("first_name"));
    assertEquals("b@example.com", json.get("email"));
    assertNull(json.get("date_of_birth"));
    assertNull(json.get("address"));
    assertEquals("unverified", json.get("status"));
    assertEquals(Map.of("b", "1"), json.get("metadata"));
    assertEquals(ASKED.toString(), json.get("created"));
    assertNull(json.get("default_payout_method"));
    assertNull(json.get("default_payout_method_details"));
    assertEquals(false, json.get("payable"));
    var compliance = (Map<?, ?>) json.get("compliance");
    assertNull(compliance.get("tin_last4"));
    assertEquals(false, compliance.get("tax_id_collected"));
    var flags = (Map<?, ?>) compliance.get("flags");
    // the person's status is not disclosed before consent: one of Dots' values, never "cleared"
    assertEquals(true, flags.get("ofac"));
    assertEquals("in_review", flags.get("ofac_status"));
    assertEquals(Map.of("status", "pending"), json.get("connection"));
  }

  @Test
  void aConnectedPlatformSeesTheSharedProfileAndItsOwnMetadata() {
    UserView v = view(Connections.CONNECTED);
    var seen =
        new SeenUser(
            v,
            v.getConnections().get(1),
            profile("Katherine", "kj@example.com", "1918-08-26"),
            Map.of("b", "1"));
    Map<String, Object> json = json(UserJson.render(seen));
    assertEquals("kj@example.com", json.get("email"));
    assertEquals("1918-08-26", json.get("date_of_birth"));
    assertEquals("verified", json.get("status"));
    assertEquals("ach", json.get("default_payout_method"), "Dots names the default by its kind");
    assertEquals("pm_1", ((Map<?, ?>) json.get("default_payout_method_details")).get("id"));
    assertEquals(Map.of("b", "1"), json.get("metadata"));
    assertEquals(Map.of("status", "connected"), json.get("connection"));
  }

  /** The record as its JSON reads, the shape a client sees. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(UserBody body) {
    return io.userpipe.runtime.http.Json.mapper().convertValue(body, Map.class);
  }
}
