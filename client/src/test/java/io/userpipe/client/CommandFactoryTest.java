package io.userpipe.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.CommandIds;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.PayoutMethodIds;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.VerifyUser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records a platform's builders make, without Kafka: topic, key, id, fields and sealing. */
class CommandFactoryTest {

  private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");
  private static final String PLATFORM = "acme.eu";
  private static final DataKeys EDGE =
      DataKeys.parseEdge(
          DataKeys.generateEntry("edge-old") + "," + DataKeys.generateEntry("edge-new"),
          "edge-new");
  private static final CommandSecrets OPENER = new CommandSecrets(EDGE);

  private final CommandFactory factory =
      new CommandFactory(PLATFORM, EDGE, Clock.fixed(NOW, ZoneOffset.UTC));

  private static CreateUserCommand ada() {
    return Commands.createUser()
        .firstName("Ada")
        .lastName("Lovelace")
        .email("ada@example.com")
        .phone("1", "2025550123")
        .dateOfBirth("1815-12-10")
        .metadata(Map.of("tier", "gold"));
  }

  @Test
  void createIsKeyedByItsE164PhoneOnThePlatformsOwnCommandTopic() {
    var prepared = factory.prepare(ada());

    assertEquals(Topics.platformUserCommands(PLATFORM).name(), prepared.topic());
    assertEquals("platform.acme_2eeu.users.commands", prepared.topic());
    assertEquals("+12025550123", prepared.key());
    var command = assertInstanceOf(UserCommand.class, prepared.value());
    assertEquals(prepared.commandId(), command.getCommandId());
    assertEquals(PLATFORM, command.getPlatformId());
    assertEquals(NOW, command.getIssuedAt());
    assertNull(command.getUserId());
    var create = assertInstanceOf(CreateUser.class, command.getPayload());
    assertEquals("Ada", create.getFirstName());
    assertEquals("2025550123", create.getPhoneNumber());
    assertEquals("1815-12-10", create.getDateOfBirth());
    assertEquals(Map.of("tier", "gold"), create.getMetadata());
  }

  @Test
  void aCreatesIdFollowsItsContentUnlessTheCallerGivesAKey() {
    assertEquals(factory.prepare(ada()).commandId(), factory.prepare(ada()).commandId());
    assertNotEquals(
        factory.prepare(ada()).commandId(),
        factory.prepare(ada().email("ada@example.org")).commandId());
    // a field moved into another cannot spell the same content
    assertNotEquals(
        factory.prepare(ada().firstName("Ad").lastName("aLovelace")).commandId(),
        factory.prepare(ada().firstName("Ada").lastName("Lovelace")).commandId());
    assertEquals(
        CommandIds.fromIdempotencyKey(PLATFORM, "signup-42"),
        factory.prepare(ada().idempotencyKey("signup-42")).commandId());
  }

  @Test
  void sendingTheSameBuilderTwiceIsTheSameCommand() {
    var delete = Commands.deleteUser("user-1");
    assertEquals(factory.prepare(delete).commandId(), factory.prepare(delete).commandId());
    assertNotEquals(
        factory.prepare(delete).commandId(),
        factory.prepare(Commands.deleteUser("user-1")).commandId());
  }

  @Test
  void anIdempotencyKeyIsTheSameCommandThroughEitherDoorButOnlyForItsPlatform() {
    String id =
        factory.prepare(Commands.sendVerificationToken("user-1").idempotencyKey("k")).commandId();
    // the HTTP edge's Idempotency-Key maps through the same function
    assertEquals(CommandIds.fromIdempotencyKey(PLATFORM, "k"), id);
    var other = new CommandFactory("globex", EDGE, Clock.systemUTC());
    assertNotEquals(
        id,
        other.prepare(Commands.sendVerificationToken("user-1").idempotencyKey("k")).commandId());
    assertThrows(IllegalArgumentException.class, () -> Commands.deleteUser("u").idempotencyKey(""));
    assertThrows(
        IllegalArgumentException.class,
        () -> Commands.deleteUser("u").idempotencyKey("x".repeat(256)));
  }

  @Test
  void everyOtherUserCommandIsKeyedByItsUserOnThePlatformsCommandTopic() {
    var builders =
        Map.<CommandBuilder<?>, Class<?>>of(
            Commands.updateUser("user-1").email("new@example.com"), UpdateUser.class,
            Commands.deleteUser("user-1"), DeleteUser.class,
            Commands.sendVerificationToken("user-1"), SendVerificationToken.class,
            Commands.verifyUser("user-1", "123456"), VerifyUser.class,
            Commands.submitW9("user-1").entityType("individual").tin("123456789"),
                SubmitCompliance.class,
            Commands.addPaypalPayoutMethod("user-1", "ada@example.com"), AddPayoutMethod.class,
            Commands.removePayoutMethod("user-1", "pm_1"), RemovePayoutMethod.class);
    builders.forEach(
        (builder, payload) -> {
          var prepared = factory.prepare(builder);
          assertEquals(Topics.platformUserCommands(PLATFORM).name(), prepared.topic());
          assertEquals("user-1", prepared.key());
          var command = (UserCommand) prepared.value();
          assertEquals("user-1", command.getUserId());
          assertEquals(PLATFORM, command.getPlatformId());
          assertEquals(prepared.commandId(), command.getCommandId());
          assertInstanceOf(payload, command.getPayload());
        });
  }

  @Test
  void idVerificationGoesToThePlatformsOfacCommandTopicKeyedByUser() {
    var prepared =
        factory.prepare(
            Commands.submitIdVerification("user-1").provider("kyc-co").reference("ref-9"));

    assertEquals(Topics.platformOfacCommands(PLATFORM).name(), prepared.topic());
    assertEquals("user-1", prepared.key());
    var command = assertInstanceOf(OfacCommand.class, prepared.value());
    assertEquals(PLATFORM, command.getPlatformId());
    assertEquals("user-1", command.getUserId());
    assertEquals(prepared.commandId(), command.getCommandId());
    var payload = assertInstanceOf(SubmitIdVerification.class, command.getPayload());
    assertEquals("kyc-co", payload.getProvider());
    assertEquals("ref-9", payload.getReference());
  }

  @Test
  void secretsAreSealedUnderTheActiveEdgeKeyBoundToTheirCommand() {
    var verify = factory.prepare(Commands.verifyUser("user-1", "123456"));
    var code = ((VerifyUser) ((UserCommand) verify.value()).getPayload()).getToken();
    assertEquals("edge-new", code.getKeyId());
    assertEquals("123456", OPENER.openCode(verify.commandId(), code));
    assertThrows(RuntimeException.class, () -> OPENER.openCode("another-command", code));
    assertThrows(RuntimeException.class, () -> OPENER.openTin(verify.commandId(), code));

    var w9 =
        factory.prepare(
            Commands.submitW9("user-1")
                .entityType("individual")
                .firstName("Ada")
                .lastName("Lovelace")
                .tin("123456789")
                .tinType("ssn"));
    var form = ((SubmitCompliance) ((UserCommand) w9.value()).getPayload()).getW9();
    assertEquals("123456789", OPENER.openTin(w9.commandId(), form.getTin()));
    assertEquals("ssn", form.getTinType());

    var w8 =
        factory.prepare(
            Commands.submitW8Ben("user-1")
                .name("Ada Lovelace")
                .citizenshipCountry("GB")
                .foreignTaxId("AB123456C")
                .signature("Ada Lovelace", true));
    var w8form = ((SubmitCompliance) ((UserCommand) w8.value()).getPayload()).getW8ben();
    assertEquals("AB123456C", OPENER.openForeignTaxId(w8.commandId(), w8form.getForeignTaxId()));
    assertNull(((SubmitCompliance) ((UserCommand) w8.value()).getPayload()).getW9());

    var ach = Commands.addAchPayoutMethod("user-1", "021000021", "000123456789", "checking");
    var added = factory.prepare(ach);
    var payload = (AddPayoutMethod) ((UserCommand) added.value()).getPayload();
    assertEquals("ach", payload.getKind());
    assertEquals("021000021", payload.getRoutingNumber());
    assertEquals(
        "000123456789", OPENER.openAccountNumber(added.commandId(), payload.getAccountNumber()));
    assertEquals(PayoutMethodIds.of(added.commandId()), ach.payoutMethodId(PLATFORM));
  }

  @Test
  void withoutEdgeKeysOnlyCommandsWithoutSecretsCanBeMade() {
    var keyless = new CommandFactory(PLATFORM, null, Clock.systemUTC());

    assertEquals("+12025550123", keyless.prepare(ada()).key());
    assertEquals("user-1", keyless.prepare(Commands.deleteUser("user-1")).key());
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> keyless.prepare(Commands.verifyUser("user-1", "123456")));
    assertTrue(e.getMessage().contains("EDGE_KEYS"));
    assertThrows(
        IllegalStateException.class,
        () ->
            keyless.prepare(Commands.submitW9("user-1").entityType("individual").tin("123456789")));
    assertThrows(
        IllegalStateException.class,
        () -> keyless.prepare(Commands.addAchPayoutMethod("user-1", "1", "2", "checking")));
  }

  @Test
  void aMissingRequiredFieldIsRefusedBeforeAnythingIsSent() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> factory.prepare(Commands.createUser().firstName("Ada").phone("1", "2")));
    assertTrue(e.getMessage().contains("last_name"), e.getMessage());
    assertThrows(
        IllegalStateException.class, () -> factory.prepare(Commands.submitW9("user-1").tin("1")));
    assertThrows(IllegalStateException.class, () -> Commands.deleteUser(null));
    assertThrows(IllegalStateException.class, () -> Commands.verifyUser("user-1", null));
  }
}
