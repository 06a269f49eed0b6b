package io.userpipe.projections.view;

import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.OfacTokenMatch;
import io.userpipe.schemas.TinVerification;
import java.time.Instant;
import java.util.List;

/** Status changes of user u1 as ofac-screener and tin-verifier write them. */
public final class ComplianceHistoriesTestData {

  private ComplianceHistoriesTestData() {}

  public static OfacStatusChanged ofac(
      String id, String from, String to, String reason, Instant at) {
    return OfacStatusChanged.newBuilder()
        .setEventId(id)
        .setUserId("u1")
        .setPreviousStatus(from)
        .setStatus(to)
        .setReason(reason)
        .setListVersion("list-v1")
        .setEvidence(
            to.equals("unflagged")
                ? List.of()
                : List.of(
                    OfacEvidence.newBuilder()
                        .setEntNum(22790)
                        .setSdnName("MADURO MOROS, Nicolas")
                        .setMatchedName("MADURO MOROS, Nicolas")
                        .setMatchedKind("primary")
                        .setPrograms(List.of("VENEZUELA"))
                        .setScore(0.97)
                        .setListVersion("list-v1")
                        .setEntryFingerprint("fp-1")
                        .setNameSource("profile")
                        .setTokens(
                            List.of(
                                new OfacTokenMatch("maduro", "exact", 1.0),
                                new OfacTokenMatch("moros", "typo", 0.89),
                                new OfacTokenMatch("nicolas", "exact", 1.0)))
                        .build()))
        .setMatcherVersion("1")
        .setOccurredAt(at)
        .build();
  }

  public static TinVerification tin(String id, String from, String to, String reason, Instant at) {
    return TinVerification.newBuilder()
        .setEventId(id)
        .setUserId("u1")
        .setSubmissionId("s1")
        .setFromStatus(from)
        .setToStatus(to)
        .setReason(reason)
        .setIrsCode(to.equals("pending") ? null : 0)
        .setOccurredAt(at)
        .build();
  }
}
