package io.userpipe.projections.topology;

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

/** Folds tin-verifier's status changes into compliance.w9.tax_id_verification. */
final class FoldTinVerification
    implements Processor<String, TinVerification, String, ComplianceEvent> {

  private ProcessorContext<String, ComplianceEvent> context;
  private KeyValueStore<String, UserView> users;

  @Override
  public void init(ProcessorContext<String, ComplianceEvent> context) {
    this.context = context;
    users = context.getStateStore(ProjectionsTopology.USERS_BY_ID);
  }

  @Override
  public void process(Record<String, TinVerification> record) {
    TinVerification change = record.value();
    if (change == null) {
      return;
    }
    UserView before = users.get(change.getUserId());
    UserView after = UserViewFolder.fold(before, change);
    if (after == before) {
      return;
    }
    users.put(change.getUserId(), after);
    var evidence = new HashMap<String, String>();
    evidence.put("submission_id", change.getSubmissionId());
    if (change.getIrsCode() != null) {
      evidence.put("irs_code", change.getIrsCode().toString());
    }
    var cause =
        new ComplianceEvents.Cause(
            change.getEventId(), change.getOccurredAt(), null, change.getReason(), evidence);
    for (ComplianceEvent out : ComplianceEvents.between(before, after, cause)) {
      context.forward(record.withKey(out.getUserId()).withValue(out));
    }
  }
}
