package io.userpipe.projections.view;

import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
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
                    new OfacEvidence(
                        22790,
                        "MADURO MOROS, Nicolas",
                        "MADURO MOROS, Nicolas",
                        "primary",
                        List.of("VENEZUELA"),
                        0.97,
                        "list-v1",
                        "fp-1",
                        "profile",
                        null)))
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
