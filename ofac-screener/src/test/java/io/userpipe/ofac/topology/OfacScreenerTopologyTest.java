package io.userpipe.ofac.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacListParser;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.OfacReview;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.ResolveOfacReview;
import io.userpipe.schemas.ReviewDecision;
import io.userpipe.schemas.ScreeningName;
import io.userpipe.schemas.ScreeningNames;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserUpdated;
import io.userpipe.schemas.W8BenSubmitted;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OFAC life cycle on a test driver, list versions swapped and timers driven by hand. */
class OfacScreenerTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  private static final String VOLKOV =
      "100,\"VOLKOV, Dmitri Ivanovich\",\"individual\",\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,"
          + "-0- ,-0- ,-0- ,\"DOB 01 Jan 1970; nationality Russia\"\r\n";
  private static final String OTHER =
      "200,\"ZAFARANI, Khalil\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
          + "\"DOB 1965\"\r\n";

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final UserKeys userKeys = new UserKeys(dataKeys);
  private final AtomicReference<ScreeningIndex> index = new AtomicReference<>();
  private final AtomicReference<String> matcher = new AtomicReference<>("1");
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserKey> keys;
  private TestInputTopic<String, UserEvent> events;
  private TestInputTopic<String, OfacCommand> commands;
  private TestInputTopic<String, OfacReview> reviews;
  private TestOutputTopic<String, OfacStatusChanged> screenings;
  private TestOutputTopic<String, CommandResult> results;
  private final Map<String, EncryptedValue> wrapped = new java.util.HashMap<>();
  private int version = 1;
  private final java.util.List<io.userpipe.schemas.RetentionKey> published =
      new java.util.ArrayList<>();
  private io.userpipe.runtime.crypto.RetentionKeys retention;

  @BeforeEach
  void setUp() throws Exception {
    useList(VOLKOV + OTHER);
    retention =
        new io.userpipe.runtime.crypto.RetentionKeys(
            dataKeys,
            io.userpipe.runtime.crypto.RetentionPolicy.DEFAULT,
            Clock.fixed(T0, ZoneOffset.UTC),
            published::add);
    var serdes = new AvroSerdes(SharedRegistry.url());
    var props = TestDriverProps.of("ofac-screener-test");
    driver =
        new TopologyTestDriver(
            OfacScreenerTopology.build(
                serdes,
                dataKeys,
                retention,
                index::get,
                matcher::get,
                0.85,
                2,
                Clock.fixed(T0, ZoneOffset.UTC)),
            props,
            T0);
    keys = input(serdes, Topics.USER_KEYS);
    events = input(serdes, Topics.USER_EVENTS);
    commands = input(serdes, Topics.OFAC_COMMANDS);
    reviews = input(serdes, Topics.OFAC_REVIEWS);
    screenings =
        driver.createOutputTopic(
            Topics.OFAC_SCREENINGS.name(),
            serdes.keySerde(Topics.OFAC_SCREENINGS).deserializer(),
            serdes.valueSerde(Topics.OFAC_SCREENINGS).deserializer());
    results =
        driver.createOutputTopic(
            Topics.COMMAND_RESULTS.name(),
            serdes.keySerde(Topics.COMMAND_RESULTS).deserializer(),
            serdes.valueSerde(Topics.COMMAND_RESULTS).deserializer());
  }

  private <V> TestInputTopic<String, V> input(
      AvroSerdes serdes, io.userpipe.schemas.TopicSpec<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), serdes.keySerde(topic).serializer(), serdes.valueSerde(topic).serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void useList(String sdn) throws Exception {
    var files = new ListFiles(Map.of("sdn.csv", sdn.getBytes(StandardCharsets.US_ASCII)));
    index.set(ScreeningIndex.build(OfacListParser.parse(files, "v" + version++)));
  }

  private void userKey(String userId) {
    EncryptedValue key = userKeys.newWrappedKey(userId);
    wrapped.put(userId, key);
    keys.pipeInput(userId, new UserKey(userId, key));
  }

  private EncryptedValue profile(String userId, String first, String last, String dob)
      throws Exception {
    var profile =
        UserProfile.newBuilder()
            .setFirstName(first)
            .setLastName(last)
            .setEmail("x@example.com")
            .setPhone(new PhoneNumber("1", "2025550100", "+12025550100"))
            .setDateOfBirth(dob)
            .setMetadata(Map.of())
            .build();
    ByteBuffer b = UserProfile.getEncoder().encode(profile);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return userKeys.seal(wrapped.get(userId), userId, "profile", bytes);
  }

  private void created(String userId, String first, String last, String dob) throws Exception {
    events.pipeInput(
        userId,
        UserEvent.newBuilder()
            .setEventId("e-" + userId)
            .setUserId(userId)
            .setVersion(1)
            .setOccurredAt(T0)
            .setPayload(new UserCreated(profile(userId, first, last, dob)))
            .build());
  }

  private void command(String userId, String id, Object payload) {
    commands.pipeInput(
        userId,
        OfacCommand.newBuilder()
            .setCommandId(id)
            .setUserId(userId)
            .setPlatformId("p1")
            .setIssuedAt(T0)
            .setPayload(payload)
            .build());
  }

  /** An operator's decision, as the operator console publishes it on ofac.reviews. */
  private void review(
      String userId, String id, ReviewDecision decision, String operatorId, String note) {
    reviews.pipeInput(
        userId,
        OfacReview.newBuilder()
            .setCommandId(id)
            .setUserId(userId)
            .setOperatorId(operatorId)
            .setDecision(decision)
            .setNote(note)
            .setIssuedAt(T0)
            .build());
  }

  /** An operator's decision about the version of the case the operator saw. */
  private void review(String userId, String id, ReviewDecision decision, long screeningVersion) {
    reviews.pipeInput(
        userId,
        OfacReview.newBuilder()
            .setCommandId(id)
            .setUserId(userId)
            .setOperatorId("op-" + id)
            .setDecision(decision)
            .setNote("seen version " + screeningVersion)
            .setScreeningVersion(screeningVersion)
            .setIssuedAt(T0)
            .build());
  }

  private void updated(String userId, int version, String first, String last, String dob)
      throws Exception {
    events.pipeInput(
        userId,
        UserEvent.newBuilder()
            .setEventId("e" + version + "-" + userId)
            .setUserId(userId)
            .setVersion(version)
            .setOccurredAt(T0)
            .setPayload(
                UserUpdated.newBuilder().setProfile(profile(userId, first, last, dob)).build())
            .build());
  }

  private void tick() {
    driver.advanceWallClockTime(Duration.ofSeconds(1));
  }

  @Test
  void aListedNameRequiresIdVerificationWithEvidenceAndAnotherIsUnflagged() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", "1970-01-01");
    OfacStatusChanged flagged = screenings.readValue();
    assertNull(flagged.getPreviousStatus());
    assertEquals("id_verification_required", flagged.getStatus());
    assertEquals("screening", flagged.getReason());
    assertEquals(100, flagged.getEvidence().get(0).getEntNum());
    assertEquals(List.of("RUSSIA-EO14024"), flagged.getEvidence().get(0).getPrograms());
    assertEquals(index.get().version(), flagged.getEvidence().get(0).getListVersion());

    userKey("u2");
    created("u2", "Grace", "Hopper", "1906-12-09");
    assertEquals("unflagged", screenings.readValue().getStatus());
  }

  @Test
  void aMatchTheNameAloneCannotDecideSaysADateOfBirthWouldHelpWhenNoneWasGiven() throws Exception {
    // given the listed VOLKOV, Dmitri Ivanovich, born 1970, and a person with his name less the
    // patronymic: a match, but one that a date of birth years apart would undo
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    OfacStatusChanged withoutDate = screenings.readValue();
    userKey("u2");
    created("u2", "Dmitri", "Volkov", "1970-01-01");
    OfacStatusChanged withDate = screenings.readValue();
    userKey("u3");
    created("u3", "Dmitri Ivanovich", "Volkov", null);
    OfacStatusChanged fullName = screenings.readValue();

    // then without a date of birth the evidence says one would help (a kind of fact, no data);
    // with one, or with a name that decides alone, it says nothing
    for (OfacStatusChanged c : List.of(withoutDate, withDate, fullName)) {
      assertEquals("id_verification_required", c.getStatus());
      assertEquals(100, c.getEvidence().get(0).getEntNum());
    }
    assertEquals(
        "date_of_birth_would_help",
        withoutDate.getEvidence().get(0).getHint(),
        withoutDate.toString());
    assertNull(withDate.getEvidence().get(0).getHint());
    assertNull(fullName.getEvidence().get(0).getHint());
  }

  @Test
  void everyStatusChangeNamesItsMatcherVersionAndWhichListedTokensMatchedHow() throws Exception {
    // given a person whose surname is one typo from a listed one
    matcher.set("7");
    userKey("u1");
    created("u1", "Dmitri", "Volkow", "1970-01-01");
    OfacStatusChanged screened = screenings.readValue();
    command("u1", "c1", new SubmitIdVerification("kyc", "ref-1"));
    results.readValue();
    OfacStatusChanged inReview = screenings.readValue();
    review("u1", "c2", ReviewDecision.CONFIRM, "alice", "same person");
    results.readValue();
    OfacStatusChanged flagged = screenings.readValue();

    assertEquals("id_verification_required", screened.getStatus());
    var expected =
        Map.of(
            "volkov", "typo 0.89",
            "dmitri", "exact 1.0",
            "ivanovich", "unmatched 0.0");
    for (OfacStatusChanged c : List.of(screened, inReview, flagged)) {
      // the matcher that found the evidence, on the screening and on the decisions after it
      assertEquals("7", c.getMatcherVersion(), c.getReason());
      // each token of the listed name, how it matched; the person's own typo is nowhere
      Map<String, String> told = new java.util.HashMap<>();
      c.getEvidence()
          .get(0)
          .getTokens()
          .forEach(t -> told.put(t.getListedToken(), t.getHow() + " " + t.getSimilarity()));
      assertEquals(expected, told, c.getReason());
      assertFalse(c.getEvidence().toString().contains("volkow"), c.getReason());
    }
  }

  @Test
  void idVerificationThenReviewClearsAndInvalidTransitionsAreRejectedWithTheReason()
      throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    screenings.readValue();

    review("u1", "c1", ReviewDecision.CLEAR, "rev", "too early");
    CommandResult early = results.readValue();
    assertEquals(CommandOutcome.REJECTED, early.getOutcome());
    assertEquals("ofac_status", early.getRejection().getField());
    assertTrue(early.getRejection().getMessage().contains("in_review"));

    command("u1", "c2", new SubmitIdVerification("kyc", "ref-1"));
    assertEquals(CommandOutcome.ACCEPTED, results.readValue().getOutcome());
    OfacStatusChanged inReview = screenings.readValue();
    assertEquals("in_review", inReview.getStatus());
    assertEquals("c2", inReview.getCommandId());

    review("u1", "c3", ReviewDecision.CLEAR, "alice", "other DOB");
    CommandResult accepted = results.readValue();
    assertEquals(CommandOutcome.ACCEPTED, accepted.getOutcome());
    assertEquals("ResolveOfacReview", accepted.getCommandType());
    assertEquals("operator:alice", accepted.getPlatformId());
    OfacStatusChanged cleared = screenings.readValue();
    assertEquals("unflagged", cleared.getStatus());
    assertEquals("alice", cleared.getReviewer());
    assertEquals("other DOB", cleared.getNote());
    assertEquals(100, cleared.getEvidence().get(0).getEntNum(), "the cleared evidence, for audit");

    command("nobody", "c4", new SubmitIdVerification(null, null));
    assertEquals("not_found", results.readValue().getRejection().getCode());
  }

  @Test
  void everyStatusChangeNamesWhomItScreenedUnderARetentionKeyThatOutlivesTheUserKey()
      throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", "1970-01-01");
    OfacStatusChanged screened = screenings.readValue();
    command("u1", "c1", new SubmitIdVerification("kyc", "ref-1"));
    results.readValue();
    OfacStatusChanged inReview = screenings.readValue();
    review("u1", "c2", ReviewDecision.CLEAR, "alice", "other person");
    results.readValue();
    OfacStatusChanged cleared = screenings.readValue();

    var expected =
        io.userpipe.schemas.DecisionSubject.newBuilder()
            .setName("Dmitri Volkov")
            .setDateOfBirth("1970-01-01")
            .build();
    assertEquals(1, published.size(), "one key for the month, published before use");
    for (OfacStatusChanged c : List.of(screened, inReview, cleared)) {
      assertEquals(published.get(0).getKeyId(), c.getSubject().getKeyId());
      assertEquals(expected, retention.open("u1", c.getSubject()).orElseThrow());
    }
    // the person is erased: their key goes, the decisions' subjects stay readable
    keys.pipeInput("u1", null);
    assertEquals(expected, retention.open("u1", cleared.getSubject()).orElseThrow());
  }

  @Test
  void aReviewOnThePlatformsCommandTopicIsRejectedAndChangesNothing() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification("kyc", "ref-1"));
    results.readValue();
    screenings.readValuesToList();

    // a platform (or anyone who can write ofac.commands) names a reviewer of its choosing
    command("u1", "c2", new ResolveOfacReview(ReviewDecision.CLEAR, "alice", "trust me"));
    CommandResult refused = results.readValue();
    assertEquals(CommandOutcome.REJECTED, refused.getOutcome());
    assertEquals("forbidden", refused.getRejection().getCode());
    assertEquals("payload", refused.getRejection().getField());
    assertTrue(refused.getRejection().getMessage().contains("ofac.reviews"));
    assertEquals("c2", refused.getCommandId());
    assertTrue(screenings.isEmpty(), "the status did not move");

    // refused whatever the user's state, even for a user never screened
    command("nobody", "c3", new ResolveOfacReview(ReviewDecision.CONFIRM, "alice", "n"));
    assertEquals("forbidden", results.readValue().getRejection().getCode());

    // the same decision from an operator on ofac.reviews is taken
    review("u1", "c4", ReviewDecision.CLEAR, "bob", "other DOB");
    assertEquals(CommandOutcome.ACCEPTED, results.readValue().getOutcome());
    OfacStatusChanged cleared = screenings.readValue();
    assertEquals("unflagged", cleared.getStatus());
    assertEquals("bob", cleared.getReviewer());
  }

  /**
   * The Kafka door: a platform's own topic decides for that platform alone. Its command's result is
   * copied to the platform's results topic; one naming another platform is refused as forbidden,
   * answered to the topic's platform, and changes nothing.
   */
  @Test
  void aPlatformsOwnTopicActsForThatPlatformOnly() throws Exception {
    var serdes = new AvroSerdes(SharedRegistry.url());
    TestInputTopic<String, OfacCommand> acme = input(serdes, Topics.platformOfacCommands("acme"));
    var acmeResults = output(serdes, Topics.platformCommandResults("acme"));
    var otherResults = output(serdes, Topics.platformCommandResults("other"));
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    screenings.readValuesToList();

    acme.pipeInput("u1", ofacCommand("u1", "c1", "other", new SubmitIdVerification("kyc", "r")));
    CommandResult refused = results.readValue();
    assertEquals(CommandOutcome.REJECTED, refused.getOutcome());
    assertEquals("forbidden", refused.getRejection().getCode());
    assertEquals("platform_id", refused.getRejection().getField());
    assertEquals("acme", refused.getPlatformId(), "answered to the topic's platform");
    assertEquals(refused, acmeResults.readValue());
    assertTrue(otherResults.isEmpty(), "the named platform hears nothing");
    assertTrue(screenings.isEmpty(), "the status did not move");

    acme.pipeInput("u1", ofacCommand("u1", "c2", "acme", new SubmitIdVerification("kyc", "r")));
    CommandResult accepted = results.readValue();
    assertEquals(CommandOutcome.ACCEPTED, accepted.getOutcome());
    assertEquals(accepted, acmeResults.readValue());
    assertEquals("in_review", screenings.readValue().getStatus());

    // the HTTP edge's topic: answered on users.command-results only
    command("u1", "c3", new SubmitIdVerification("kyc", "r"));
    assertEquals("c3", results.readValue().getCommandId());
    assertTrue(acmeResults.isEmpty());
  }

  private org.apache.kafka.streams.TestOutputTopic<String, CommandResult> output(
      AvroSerdes serdes, io.userpipe.schemas.TopicSpec<String, CommandResult> topic) {
    return driver.createOutputTopic(
        topic.name(),
        serdes.keySerde(topic).deserializer(),
        serdes.valueSerde(topic).deserializer());
  }

  private static OfacCommand ofacCommand(
      String userId, String id, String platformId, Object payload) {
    return OfacCommand.newBuilder()
        .setCommandId(id)
        .setUserId(userId)
        .setPlatformId(platformId)
        .setIssuedAt(T0)
        .setPayload(payload)
        .build();
  }

  @Test
  void aClearedUserStaysClearedOnRescreeningUntilTheEntryChanges() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification(null, null));
    review("u1", "c2", ReviewDecision.CLEAR, "alice", "not him");
    screenings.readValuesToList();
    tick(); // the task records the version in force

    useList(VOLKOV + OTHER + "\r\n"); // a new version, same entries
    tick();
    assertTrue(screenings.isEmpty(), "same entry, same clearance: nothing emitted");

    useList(VOLKOV.replace("1970", "1971") + OTHER); // the entry itself changed
    tick();
    OfacStatusChanged again = screenings.readValue();
    assertEquals("id_verification_required", again.getStatus());
    assertEquals("rescreening", again.getReason());
  }

  @Test
  void aNewListVersionRescreensEveryUserInBatchesAndEmitsOnlyChangedOutcomes() throws Exception {
    for (String u : List.of("u1", "u2", "u3", "u4", "u5")) {
      userKey(u);
    }
    created("u1", "Grace", "Hopper", null);
    created("u2", "Ada", "Lovelace", null);
    created("u3", "Alan", "Turing", null);
    created("u4", "Edsger", "Dijkstra", null);
    created("u5", "Dmitri", "Volkov", null);
    assertEquals(5, screenings.readValuesToList().size());
    tick();

    useList(
        VOLKOV
            + OTHER
            + "300,\"LOVELACE, Ada\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    for (int i = 0; i < 4; i++) {
      tick(); // two users per tick
    }
    var changed = screenings.readValuesToList();
    assertEquals(1, changed.size(), changed.toString());
    assertEquals("u2", changed.get(0).getUserId());
    assertEquals("unflagged", changed.get(0).getPreviousStatus());
    assertEquals("id_verification_required", changed.get(0).getStatus());
  }

  @Test
  void aNameChangeIsScreenedAgain() throws Exception {
    userKey("u1");
    created("u1", "Grace", "Hopper", null);
    assertEquals("unflagged", screenings.readValue().getStatus());
    events.pipeInput(
        "u1",
        UserEvent.newBuilder()
            .setEventId("e2")
            .setUserId("u1")
            .setVersion(2)
            .setOccurredAt(T0)
            .setPayload(
                UserUpdated.newBuilder()
                    .setProfile(profile("u1", "Khalil", "Zafarani", "1965-03-03"))
                    .build())
            .build());
    OfacStatusChanged changed = screenings.readValue();
    assertEquals("id_verification_required", changed.getStatus());
    assertEquals(200, changed.getEvidence().get(0).getEntNum());
  }

  @Test
  void aNameChangeOfAMatchedUserDoesNotClearItAndTheEvidenceSaysTheProfileChanged()
      throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    OfacStatusChanged matched = screenings.readValue();
    assertEquals(1L, matched.getScreeningVersion());

    updated("u1", 2, "Dmitri", "Moore", null);
    OfacStatusChanged kept = screenings.readValue();
    assertEquals("id_verification_required", kept.getPreviousStatus());
    assertEquals("id_verification_required", kept.getStatus(), "no review, no lowering");
    assertEquals(100, kept.getEvidence().get(0).getEntNum());
    assertEquals("profile_changed", kept.getEvidence().get(0).getLapsed());
    assertEquals(2L, kept.getScreeningVersion());

    updated("u1", 3, "Dmitri", "Volkov", null); // back: the finding matches again
    OfacStatusChanged again = screenings.readValue();
    assertEquals("id_verification_required", again.getStatus());
    assertNull(again.getEvidence().get(0).getLapsed());
  }

  @Test
  void aUserInReviewWhoseDateOfBirthIsSuppliedStaysInReview() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification("kyc", "ref-1"));
    results.readValue();
    screenings.readValuesToList();

    updated("u1", 2, "Dmitri", "Volkov", "1990-06-15"); // far from the listed 1970
    OfacStatusChanged c = screenings.readValue();
    assertEquals("in_review", c.getPreviousStatus());
    assertEquals("in_review", c.getStatus());
    assertEquals(100, c.getEvidence().get(0).getEntNum());
    assertEquals("date_of_birth_supplied", c.getEvidence().get(0).getLapsed());
  }

  @Test
  void aNewListVersionThatDropsTheEntryKeepsTheStatusWithDelistedInTheEvidence() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    screenings.readValuesToList();
    tick();

    useList(OTHER); // VOLKOV delisted
    tick();
    OfacStatusChanged kept = screenings.readValue();
    assertEquals("id_verification_required", kept.getStatus());
    assertEquals("rescreening", kept.getReason());
    assertEquals(100, kept.getEvidence().get(0).getEntNum());
    assertEquals("delisted", kept.getEvidence().get(0).getLapsed());
    assertEquals(index.get().version(), kept.getListVersion());
    tick();
    assertTrue(screenings.isEmpty(), "said once");
  }

  @Test
  void aReviewersClearFollowedByAMatchAgainstAnotherEntryRaisesTheStatusAgain() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification(null, null));
    review("u1", "c2", ReviewDecision.CLEAR, "alice", "not him");
    assertEquals("unflagged", screenings.readValuesToList().get(2).getStatus());
    tick();

    useList(
        VOLKOV
            + OTHER
            + "300,\"VOLKOV, Dmitri\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            + "-0- ,-0- \r\n");
    tick();
    OfacStatusChanged raised = screenings.readValue();
    assertEquals("unflagged", raised.getPreviousStatus());
    assertEquals("id_verification_required", raised.getStatus());
    assertEquals(
        List.of(300),
        raised.getEvidence().stream().map(e -> e.getEntNum()).toList(),
        "the cleared entry 100 is not raised again, the new one is");
  }

  @Test
  void aClearedUserWhoseNameChangesIsRaisedAgainOnTheSameEntry() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification(null, null));
    review("u1", "c2", ReviewDecision.CLEAR, "alice", "not him");
    screenings.readValuesToList();

    updated("u1", 2, "Dmitri Ivanovich", "Volkov", null);
    OfacStatusChanged raised = screenings.readValue();
    assertEquals("id_verification_required", raised.getStatus());
    assertEquals(100, raised.getEvidence().get(0).getEntNum());
  }

  @Test
  void aDecisionOnAStaleScreeningVersionIsRefusedAsAConflict() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification(null, null));
    results.readValue();
    var seen = screenings.readValuesToList();
    long version = seen.get(seen.size() - 1).getScreeningVersion();
    assertEquals("in_review", seen.get(seen.size() - 1).getStatus());

    updated("u1", 2, "Dmitri", "Moore", null); // the case changes under the reviewer's eyes
    long now = screenings.readValue().getScreeningVersion();
    assertEquals(version + 1, now);

    review("u1", "r1", ReviewDecision.CLEAR, version);
    CommandResult stale = results.readValue();
    assertEquals(CommandOutcome.REJECTED, stale.getOutcome());
    assertEquals("conflict", stale.getRejection().getCode());
    assertEquals("screening_version", stale.getRejection().getField());
    assertTrue(screenings.isEmpty(), "the status did not move");

    review("u1", "r2", ReviewDecision.CLEAR, now);
    assertEquals(CommandOutcome.ACCEPTED, results.readValue().getOutcome());
    assertEquals("unflagged", screenings.readValue().getStatus());
  }

  @Test
  void twoReviewersDecidingTheSameVersionGiveOneDecisionAndOneConflict() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    command("u1", "c1", new SubmitIdVerification(null, null));
    results.readValue();
    var seen = screenings.readValuesToList();
    long version = seen.get(seen.size() - 1).getScreeningVersion();

    review("u1", "r1", ReviewDecision.CLEAR, version);
    review("u1", "r2", ReviewDecision.CONFIRM, version);
    var answers = results.readValuesToList();
    assertEquals(CommandOutcome.ACCEPTED, answers.get(0).getOutcome());
    assertEquals(CommandOutcome.REJECTED, answers.get(1).getOutcome());
    assertEquals("conflict", answers.get(1).getRejection().getCode());
    var decided = screenings.readValuesToList();
    assertEquals(1, decided.size());
    assertEquals("unflagged", decided.get(0).getStatus());
  }

  /**
   * A new matcher version re-screens every user once, as a new list version does (what a finding
   * that no longer matches is then marked with, matcher_changed, is OfacDeciderTest's).
   */
  @Test
  void aNewMatcherVersionRescreensEveryUserOnce() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", null);
    userKey("u2");
    created("u2", "Grace", "Hopper", null);
    screenings.readValuesToList();
    tick();
    tick();
    org.apache.kafka.streams.state.KeyValueStore<String, io.userpipe.schemas.OfacUserState> users =
        driver.getKeyValueStore(OfacScreenerTopology.USERS);
    assertEquals("1", users.get("u1").getMatcherVersion());

    matcher.set("2");
    tick();
    tick();
    for (String u : List.of("u1", "u2")) {
      assertEquals("2", users.get(u).getMatcherVersion(), u + " re-screened by the new matcher");
    }
    assertTrue(screenings.isEmpty(), "the same outcomes: nothing published");
    assertEquals("id_verification_required", users.get("u1").getStatus());
  }

  private static final String BANK =
      "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
          + "\"a.k.a. 'BNC'.\"\r\n";

  private static ScreeningName named(String source, String name, boolean business) {
    return new ScreeningName(source, name, business, null, null);
  }

  /** The form's names to screen, sealed as user-command-service seals them. */
  private EncryptedValue screening(String userId, ScreeningName... names) throws Exception {
    ByteBuffer b = ScreeningNames.getEncoder().encode(new ScreeningNames(List.of(names)));
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return userKeys.seal(wrapped.get(userId), userId, "screening", bytes);
  }

  private void formEvent(String userId, int version, Object payload) {
    events.pipeInput(
        userId,
        UserEvent.newBuilder()
            .setEventId("e" + version + "-" + userId)
            .setUserId(userId)
            .setVersion(version)
            .setOccurredAt(T0)
            .setPayload(payload)
            .build());
  }

  /**
   * A W-9 as user-command-service writes it: the TIN check under purpose 'tin' (here sealed under
   * another user's key, so that an attempt to open it would throw), and the names under
   * 'screening'.
   */
  private void w9(String userId, int version, ScreeningName... names) throws Exception {
    EncryptedValue unopenable =
        userKeys.seal(userKeys.newWrappedKey("someone"), "someone", "tin", new byte[] {1});
    formEvent(
        userId,
        version,
        new TinSubmitted(
            "s" + version, "business", "ein", "4321", unopenable, screening(userId, names)));
  }

  private void w8ben(String userId, int version, ScreeningName... names) throws Exception {
    EncryptedValue unopenable =
        userKeys.seal(userKeys.newWrappedKey("someone"), "someone", "w8ben", new byte[] {1});
    formEvent(userId, version, new W8BenSubmitted("RU", unopenable, screening(userId, names)));
  }

  @Test
  void aW9BusinessNameThatIsAListedEntityRequiresIdVerificationNamingItsSource() throws Exception {
    useList(VOLKOV + OTHER + BANK);
    userKey("u1");
    created("u1", "Grace", "Hopper", "1906-12-09");
    assertEquals("unflagged", screenings.readValue().getStatus());

    w9("u1", 2, named("w9_business", "Banco Nacional de Cuba", true));
    OfacStatusChanged raised = screenings.readValue();
    assertEquals("unflagged", raised.getPreviousStatus());
    assertEquals("id_verification_required", raised.getStatus());
    assertEquals(306, raised.getEvidence().get(0).getEntNum());
    assertEquals("w9_business", raised.getEvidence().get(0).getNameSource());
    assertEquals(2L, raised.getUserVersion(), "the W-9's event");
    var subject = retention.open("u1", raised.getSubject()).orElseThrow();
    assertEquals("Grace Hopper", subject.getName());
    assertEquals(
        List.of(named("w9_business", "Banco Nacional de Cuba", true)), subject.getFormNames());

    // a new W-9 naming another business: no review, no lowering; the entry stays, lapsed
    w9("u1", 3, named("w9_business", "Analytical Engines LLC", true));
    OfacStatusChanged kept = screenings.readValue();
    assertEquals("id_verification_required", kept.getStatus());
    assertEquals(306, kept.getEvidence().get(0).getEntNum());
    assertEquals("profile_changed", kept.getEvidence().get(0).getLapsed());
    assertEquals("w9_business", kept.getEvidence().get(0).getNameSource());
  }

  @Test
  void aBusinessNameIsScreenedAgainstEntitiesAndAPersonsNameAgainstIndividuals() throws Exception {
    useList(VOLKOV + OTHER + BANK);
    userKey("u1");
    created("u1", "Grace", "Hopper", null);
    screenings.readValue();
    w9(
        "u1",
        2,
        named("w9_individual", "Banco Nacional de Cuba", false),
        named("w9_business", "Dmitri Volkov", true));
    OfacStatusChanged screened = screenings.readValue();
    assertEquals("unflagged", screened.getStatus(), "neither name is listed as its kind");
    assertTrue(screened.getEvidence().isEmpty());
  }

  @Test
  void aW9IndividualNameAndAW8BenNameOnTheListAreMatchesWithTheirFormsEvidence() throws Exception {
    userKey("u1");
    created("u1", "Grace", "Hopper", null);
    screenings.readValue();
    w9("u1", 2, new ScreeningName("w9_individual", "Dmitri Volkov", false, "1970-01-01", "US"));
    OfacStatusChanged w9 = screenings.readValue();
    assertEquals("id_verification_required", w9.getStatus());
    assertEquals(100, w9.getEvidence().get(0).getEntNum());
    assertEquals("w9_individual", w9.getEvidence().get(0).getNameSource());

    userKey("u2");
    created("u2", "Grace", "Hopper", null);
    screenings.readValue();
    w8ben("u2", 2, new ScreeningName("w8ben", "Dmitri Volkov", false, "1970-01-01", "RU"));
    OfacStatusChanged w8 = screenings.readValue();
    assertEquals("id_verification_required", w8.getStatus());
    assertEquals("w8ben", w8.getEvidence().get(0).getNameSource());
    // the form's date of birth and citizenship agree with the entry's: evidence for
    assertTrue(
        w8.getEvidence().get(0).getScore() > w9.getEvidence().get(0).getScore(),
        w8.getEvidence() + " vs " + w9.getEvidence());
  }

  @Test
  void aW9RepeatingTheProfilesNameTellsNothingNewAndMakesNoNewVersionOfTheCase() throws Exception {
    userKey("u1");
    created("u1", "Dmitri", "Volkov", "1970-01-01");
    OfacStatusChanged raised = screenings.readValue();
    assertEquals("id_verification_required", raised.getStatus());
    w9("u1", 2, named("w9_individual", "Dmitri Volkov", false));
    assertTrue(screenings.isEmpty(), "a reviewer deciding the case is not sent back");
  }

  @Test
  void aTaxFormWrittenBeforeItsNamesWereSealedApartChangesNothing() throws Exception {
    userKey("u1");
    created("u1", "Grace", "Hopper", null);
    screenings.readValue();
    EncryptedValue check = userKeys.seal(wrapped.get("u1"), "u1", "tin", new byte[] {1});
    formEvent("u1", 2, new TinSubmitted("s2", "individual", "ssn", "6789", check, null));
    assertTrue(screenings.isEmpty(), "no names to screen: nothing published");
  }

  @Test
  void aUserWhoseKeyComesLaterIsScreenedWhenItArrives() throws Exception {
    EncryptedValue key = userKeys.newWrappedKey("u1");
    wrapped.put("u1", key);
    created("u1", "Dmitri", "Volkov", null);
    assertTrue(screenings.isEmpty());
    keys.pipeInput("u1", new UserKey("u1", key));
    tick();
    assertEquals("id_verification_required", screenings.readValue().getStatus());
  }
}
