package io.userpipe.projections.topology;

import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.schemas.ComplianceEvent;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the folds publish compliance events: each one keyed by its user, with the timestamp and
 * headers of the record that caused it; nothing for a record a rebuild's replay folds again whose
 * events went out before the rebuild.
 */
final class ComplianceOutput {

  private final ProcessorContext<String, ComplianceEvent> context;
  private final ReplayBoundary replay;

  ComplianceOutput(ProcessorContext<String, ComplianceEvent> context, ReplayBoundary replay) {
    this.context = context;
    this.replay = replay;
  }

  void publish(Record<String, ?> cause, List<ComplianceEvent> events) {
    if (events.isEmpty() || replay.alreadyPublished(context.recordMetadata())) {
      return;
    }
    for (ComplianceEvent event : events) {
      context.forward(new Record<>(event.getUserId(), event, cause.timestamp(), cause.headers()));
    }
  }
}
