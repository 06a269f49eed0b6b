package io.userpipe.projections.topology;

import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.view.ComplianceEvents;
import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.UserView;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds ofac-screener's status changes into compliance.flags, and keeps each user's latest one
 * (with its evidence) for the review queue and for a view that is created after its first screening
 * arrived.
 */
final class FoldOfacScreening
    implements Processor<String, OfacStatusChanged, String, ComplianceEvent> {

  private final ReplayBoundary replay;
  private final ViewChanges changes;
  private ComplianceOutput output;
  private KeyValueStore<String, UserView> users;
  private KeyValueStore<String, OfacStatusChanged> statuses;
  private KeyValueStore<String, String> queue;

  FoldOfacScreening(ReplayBoundary replay, ViewChanges changes) {
    this.changes = changes;
    this.replay = replay;
  }

  @Override
  public void init(ProcessorContext<String, ComplianceEvent> context) {
    output = new ComplianceOutput(context, replay);
    users = context.getStateStore(ProjectionsTopology.USERS_BY_ID);
    statuses = context.getStateStore(ProjectionsTopology.OFAC_STATUSES);
    queue = context.getStateStore(ProjectionsTopology.OFAC_REVIEW_QUEUE);
  }

  /** The review-queue key of a status, or null for statuses nobody needs to act on. */
  static String queueKey(String status, String userId) {
    return ReviewQueue.QUEUED.contains(status) ? status + "/" + userId : null;
  }

  @Override
  public void process(Record<String, OfacStatusChanged> record) {
    OfacStatusChanged change = record.value();
    if (change == null) {
      statuses.delete(record.key()); // as a restore from the topic would (LatestByKey.addFolded)
      return;
    }
    OfacStatusChanged previous = statuses.get(record.key());
    statuses.put(record.key(), change);
    requeue(previous, change);
    UserView before = users.get(change.getUserId());
    UserView after = UserViewFolder.fold(before, change);
    if (after == before) {
      return;
    }
    users.put(change.getUserId(), after);
    changes.user(change.getUserId());
    output.publish(record, ComplianceEvents.between(before, after, cause(change)));
  }

  /** Keeps ofac-review-queue in step: one entry per user waiting for ID verification or review. */
  private void requeue(OfacStatusChanged previous, OfacStatusChanged change) {
    String old = previous == null ? null : queueKey(previous.getStatus(), previous.getUserId());
    String now = queueKey(change.getStatus(), change.getUserId());
    if (old != null && !old.equals(now)) {
      queue.delete(old);
    }
    if (now != null) {
      queue.put(now, change.getUserId());
    }
  }

  /** The compliance event's cause: the screening's reason and its evidence, flattened. */
  static ComplianceEvents.Cause cause(OfacStatusChanged change) {
    Map<String, String> evidence = new HashMap<>();
    evidence.put("list_version", change.getListVersion());
    int i = 0;
    for (OfacEvidence e : change.getEvidence()) {
      String p = "match_" + i++ + "_";
      evidence.put(p + "ent_num", Integer.toString(e.getEntNum()));
      evidence.put(p + "sdn_name", e.getSdnName());
      evidence.put(p + "matched_name", e.getMatchedName());
      // which of the person's names matched, never the name: no personal data on this topic
      evidence.put(p + "name_source", ComplianceHistories.nameSource(e));
      evidence.put(p + "programs", String.join(",", e.getPrograms()));
      evidence.put(p + "score", Double.toString(e.getScore()));
      if (e.getLapsed() != null) {
        evidence.put(p + "lapsed", e.getLapsed()); // no longer matching, and why
      }
      if (e.getHint() != null) {
        evidence.put(p + "hint", e.getHint()); // what would help decide it, never the data
      }
    }
    if (change.getReviewer() != null) {
      evidence.put("reviewer", change.getReviewer());
      evidence.put("note", change.getNote());
    }
    return new ComplianceEvents.Cause(
        change.getEventId(), change.getOccurredAt(), null, change.getReason(), evidence);
  }
}
