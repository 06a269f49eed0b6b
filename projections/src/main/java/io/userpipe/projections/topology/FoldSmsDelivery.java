package io.userpipe.projections.topology;

import io.userpipe.projections.view.CodeDeliveries;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.UserView;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds {@code sms.deliveries} into the user view's last code. No compliance event: a delivery is
 * the sending platform's business only. A delivery for a user the view does not have (deleted, or a
 * replay that reads it before the creation) is dropped: a code is worth minutes.
 */
final class FoldSmsDelivery implements Processor<String, SmsDelivery, Void, Void> {

  private KeyValueStore<String, UserView> users;
  private KeyValueStore<String, SmsDelivery> early;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    users = context.getStateStore(ProjectionsTopology.USERS_BY_ID);
    early = context.getStateStore(ProjectionsTopology.EARLY_CODE_DELIVERIES);
  }

  @Override
  public void process(Record<String, SmsDelivery> record) {
    SmsDelivery delivery = record.value();
    if (delivery == null) {
      return;
    }
    UserView before = users.get(delivery.getUserId());
    if (before == null) {
      if (CodeDeliveries.supersedes(early.get(delivery.getUserId()), delivery)) {
        early.put(delivery.getUserId(), delivery);
      }
      return;
    }
    UserView after = CodeDeliveries.fold(before, delivery);
    if (after != before) {
      users.put(delivery.getUserId(), after);
    }
  }
}
