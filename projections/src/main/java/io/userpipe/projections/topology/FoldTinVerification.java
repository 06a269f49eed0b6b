package io.userpipe.projections.topology;

import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.UserView;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Folds tin-verifier's status changes into compliance.w9.tax_id_verification. */
final class FoldTinVerification implements Processor<String, TinVerification, Void, Void> {

  private KeyValueStore<String, UserView> users;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
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
    if (after != before) {
      users.put(change.getUserId(), after);
    }
  }
}
