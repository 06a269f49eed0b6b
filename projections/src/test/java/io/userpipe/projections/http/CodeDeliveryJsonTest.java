package io.userpipe.projections.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.userpipe.projections.view.Connections;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.LastCodeDelivery;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last code's delivery is the business of the platform it was sent for, and operators'. */
class CodeDeliveryJsonTest {

  private static final Instant SENT = Instant.parse("2026-12-03T10:00:00Z");
  private static final LastCodeDelivery LAST =
      LastCodeDelivery.newBuilder()
          .setMessageId("m1")
          .setPlatformId("A")
          .setSentAt(SENT)
          .setStatus("refused")
          .setErrorCode("21610")
          .setUpdatedAt(SENT.plusSeconds(1))
          .build();

  private static Connection of(String platform) {
    return Connection.newBuilder()
        .setPlatformId(platform)
        .setStatus(Connections.CONNECTED)
        .setSince(SENT)
        .build();
  }

  @Test
  void thePlatformItWasSentForSeesTheDeliveryWithoutTheCode() {
    assertEquals(
        Map.of(
            "sent_at",
            "2026-12-03T10:00:00Z",
            "delivery",
            Map.of(
                "status", "refused",
                "error_code", "21610",
                "updated_at", "2026-12-03T10:00:01Z")),
        io.userpipe.runtime.http.Json.mapper()
            .convertValue(CodeDeliveryJson.render(LAST, of("A")), Map.class));
  }

  @Test
  void anotherPlatformSeesNothingAndAnOperatorSeesIt() {
    assertNull(CodeDeliveryJson.render(LAST, of("B")));
    assertEquals("refused", CodeDeliveryJson.render(LAST, null).delivery().status());
    assertNull(CodeDeliveryJson.render(null, of("A")));
  }
}
