package io.userpipe.ofac.topology;

import io.userpipe.ofac.domain.Finding;
import io.userpipe.ofac.domain.OfacCase;
import io.userpipe.ofac.domain.ScreenedName;
import io.userpipe.ofac.match.MatcherVersion;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacTokenMatch;
import io.userpipe.schemas.OfacUserState;
import io.userpipe.schemas.vocabulary.OfacHint;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps the Avro state and evidence of {@code ofac-users} to the decider's records and back. */
final class OfacCases {
  private OfacCases() {}

  static OfacCase toCase(OfacUserState state) {
    Map<Integer, String> cleared = new HashMap<>();
    state.getCleared().forEach((k, v) -> cleared.put(Integer.parseInt(k.toString()), v.toString()));
    return new OfacCase(
        OfacStatus.of(state.getStatus()),
        findings(state.getEvidence()),
        cleared,
        state.getListVersion(),
        matcherVersion(state),
        state.getScreeningVersion());
  }

  /**
   * The matcher version that last screened the user: state screened before matcher versions were
   * recorded was screened by the first; null for a user not screened yet.
   */
  static String matcherVersion(OfacUserState state) {
    if (state.getMatcherVersion() != null || state.getStatus() == null) {
      return state.getMatcherVersion();
    }
    return MatcherVersion.FIRST;
  }

  /** The state after the decider's case: the profile and screening time stay the processor's. */
  static OfacUserState.Builder toState(OfacUserState state, OfacCase c) {
    Map<String, String> cleared = new HashMap<>();
    c.cleared().forEach((k, v) -> cleared.put(Integer.toString(k), v));
    return OfacUserState.newBuilder(state)
        .setStatus(c.status() == null ? null : c.status().wire())
        .setEvidence(evidence(c.evidence()))
        .setCleared(cleared)
        .setListVersion(c.listVersion())
        .setMatcherVersion(c.matcherVersion())
        .setScreeningVersion(c.screeningVersion());
  }

  static List<Finding> findings(List<OfacEvidence> evidence) {
    return evidence.stream().map(OfacCases::finding).toList();
  }

  static List<OfacEvidence> evidence(List<Finding> findings) {
    return findings.stream().map(OfacCases::evidence).toList();
  }

  static Finding finding(OfacEvidence e) {
    return new Finding(
        e.getEntNum(),
        e.getSdnName(),
        e.getMatchedName(),
        e.getMatchedKind(),
        e.getPrograms(),
        e.getScore(),
        e.getListVersion(),
        e.getEntryFingerprint(),
        // evidence from before tax-form names were screened: only the profile was
        e.getNameSource() == null ? ScreenedName.PROFILE : e.getNameSource(),
        e.getLapsed(),
        e.getTokens().stream()
            .map(t -> new Finding.Token(t.getListedToken(), t.getHow(), t.getSimilarity()))
            .toList(),
        e.getBirthDates(),
        e.getCountries(),
        OfacHint.of(e.getHint()));
  }

  static OfacEvidence evidence(Finding f) {
    return OfacEvidence.newBuilder()
        .setEntNum(f.entNum())
        .setSdnName(f.sdnName())
        .setMatchedName(f.matchedName())
        .setMatchedKind(f.matchedKind())
        .setPrograms(f.programs())
        .setScore(f.score())
        .setListVersion(f.listVersion())
        .setEntryFingerprint(f.fingerprint())
        .setNameSource(f.nameSource())
        .setLapsed(f.lapsed())
        .setTokens(
            f.tokens().stream()
                .map(t -> new OfacTokenMatch(t.listedToken(), t.how(), t.similarity()))
                .toList())
        .setBirthDates(f.birthDates())
        .setCountries(f.countries())
        .setHint(f.hint() == null ? null : f.hint().wire())
        .build();
  }
}
