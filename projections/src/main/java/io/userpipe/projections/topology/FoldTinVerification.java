package io.userpipe.projections.topology;

import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.view.ComplianceEvents;
import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.UserView;
import java.util.HashMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds tin-verifier's status changes into compliance.w9.tax_id_verification, and keeps each user's
 * latest one: a replay may fold a verification before the submission it is about, and the user view
 * folds it in when the submission comes.
 */
final class FoldTinVerification
    implements Processor<String, TinVerification, String, ComplianceEvent> {

  private final ReplayBoundary replay;
  private final ViewChanges changes;
  private ComplianceOutput output;
  private KeyValueStore<String, UserView> users;
  private KeyValueStore<String, TinVerification> latest;

  FoldTinVerification(ReplayBoundary replay, ViewChanges changes) {
    this.changes = changes;
    this.replay = replay;
  }

  @Override
  public void init(ProcessorContext<String, ComplianceEvent> context) {
    output = new ComplianceOutput(context, replay);
    users = context.getStateStore(ProjectionsTopology.USERS_BY_ID);
    latest = context.getStateStore(ProjectionsTopology.TIN_STATUSES);
  }

  @Override
  public void process(Record<String, TinVerification> record) {
    TinVerification change = record.value();
    if (change == null) {
      latest.delete(record.key()); // as a restore from the topic would (LatestByKey.addFolded)
      return;
    }
    latest.put(record.key(), change);
    UserView before = users.get(change.getUserId());
    UserView after = UserViewFolder.fold(before, change);
    if (after == before) {
      return;
    }
    users.put(change.getUserId(), after);
    changes.user(change.getUserId());
    output.publish(record, ComplianceEvents.between(before, after, cause(change)));
  }

  /** The compliance event's cause: the verification's reason, its submission and IRS code. */
  static ComplianceEvents.Cause cause(TinVerification change) {
    var evidence = new HashMap<String, String>();
    evidence.put("submission_id", change.getSubmissionId());
    if (change.getIrsCode() != null) {
      evidence.put("irs_code", change.getIrsCode().toString());
    }
    return new ComplianceEvents.Cause(
        change.getEventId(), change.getOccurredAt(), null, change.getReason(), evidence);
  }
}
