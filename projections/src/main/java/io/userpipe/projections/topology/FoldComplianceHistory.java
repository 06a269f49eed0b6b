package io.userpipe.projections.topology;

import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.TinVerification;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Records every OFAC and TIN status change in the person's compliance history (store {@value
 * ProjectionsTopology#COMPLIANCE_HISTORY}). It publishes nothing: the compliance events of these
 * changes are the other folds' to publish.
 */
final class FoldComplianceHistory implements Processor<String, Object, Void, Void> {

  private KeyValueStore<String, ComplianceHistory> histories;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    histories = context.getStateStore(ProjectionsTopology.COMPLIANCE_HISTORY);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof OfacStatusChanged change) {
      put(change.getUserId(), ComplianceHistories.fold(histories.get(change.getUserId()), change));
    } else if (record.value() instanceof TinVerification change) {
      put(change.getUserId(), ComplianceHistories.fold(histories.get(change.getUserId()), change));
    }
  }

  private void put(String userId, ComplianceHistory history) {
    if (history != null) {
      histories.put(userId, history);
    }
  }
}
