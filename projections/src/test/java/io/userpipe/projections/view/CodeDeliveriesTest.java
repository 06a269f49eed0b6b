package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserView;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The last code's delivery on the view, given the view and a delivery, then what it shows. */
class CodeDeliveriesTest {

  private static final Instant T1 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-12-03T10:05:00Z");

  private static UserView user() {
    var profile =
        new EncryptedValue("user:u1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[1]));
    return UserViewFolder.fold(
        null,
        UserEvent.newBuilder()
            .setEventId("e1")
            .setUserId("u1")
            .setVersion(1)
            .setOccurredAt(T1)
            .setPlatformId("p1")
            .setPayload(new UserCreated(profile))
            .build());
  }

  private static SmsDelivery delivery(String message, Instant sent, String status, String code) {
    return SmsDelivery.newBuilder()
        .setEventId(message + "/" + status)
        .setMessageId(message)
        .setUserId("u1")
        .setPlatformId("p1")
        .setMessageCreatedAt(sent)
        .setStatus(status)
        .setErrorCode(code)
        .setOccurredAt(sent.plusSeconds(2))
        .build();
  }

  @Test
  void aRefusalOfTheLastCodeShowsWithItsCode() {
    UserView view = CodeDeliveries.fold(user(), delivery("m1", T1, "refused", "21610"));

    assertEquals("m1", view.getLastCode().getMessageId());
    assertEquals("refused", view.getLastCode().getStatus());
    assertEquals("21610", view.getLastCode().getErrorCode());
    assertEquals(T1, view.getLastCode().getSentAt());
    assertEquals("p1", view.getLastCode().getPlatformId());
  }

  @Test
  void theProvidersCallbacksMoveItAlongButNeverBack() {
    UserView view = user();
    view = CodeDeliveries.fold(view, delivery("m1", T1, "accepted", null));
    view = CodeDeliveries.fold(view, delivery("m1", T1, "delivered", null));
    UserView late = CodeDeliveries.fold(view, delivery("m1", T1, "sent", null));

    assertSame(view, late);
    assertEquals("delivered", late.getLastCode().getStatus());
  }

  @Test
  void aNewerCodeReplacesTheLastAndNewsOfAnOlderOneChangesNothing() {
    UserView view = user();
    view = CodeDeliveries.fold(view, delivery("m1", T1, "accepted", null));
    view = CodeDeliveries.fold(view, delivery("m2", T2, "accepted", null));
    UserView after = CodeDeliveries.fold(view, delivery("m1", T1, "undelivered", "30003"));

    assertSame(view, after);
    assertEquals("m2", after.getLastCode().getMessageId());
  }

  @Test
  void aDeletedOrUnknownUserGetsNothing() {
    assertNull(CodeDeliveries.fold((UserView) null, delivery("m1", T1, "accepted", null)));
    UserView deleted = UserView.newBuilder(user()).setDeleted(true).build();
    assertSame(deleted, CodeDeliveries.fold(deleted, delivery("m1", T1, "accepted", null)));
  }
}
