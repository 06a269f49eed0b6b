package io.userpipe.projections.topology;

import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.view.CodeDeliveries;
import io.userpipe.projections.view.ComplianceEvents;
import io.userpipe.projections.view.PlatformIndex;
import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserView;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the users-by-id view and the per-platform index in step: one fold per user event. */
final class FoldUserView implements Processor<String, UserEvent, String, ComplianceEvent> {

  private static final Logger log = LoggerFactory.getLogger(FoldUserView.class);

  private final ReplayBoundary replay;
  private final ViewChanges changes;
  private ComplianceOutput output;
  private KeyValueStore<String, UserView> users;
  private KeyValueStore<String, String> byPlatform;
  private KeyValueStore<String, OfacStatusChanged> ofacStatuses;
  private KeyValueStore<String, String> reviewQueue;
  private KeyValueStore<String, TinVerification> tinStatuses;
  private KeyValueStore<String, SmsDelivery> earlyDeliveries;

  FoldUserView(ReplayBoundary replay, ViewChanges changes) {
    this.changes = changes;
    this.replay = replay;
  }

  @Override
  public void init(ProcessorContext<String, ComplianceEvent> context) {
    output = new ComplianceOutput(context, replay);
    users = context.getStateStore(ProjectionsTopology.USERS_BY_ID);
    byPlatform = context.getStateStore(ProjectionsTopology.USERS_BY_PLATFORM);
    ofacStatuses = context.getStateStore(ProjectionsTopology.OFAC_STATUSES);
    reviewQueue = context.getStateStore(ProjectionsTopology.OFAC_REVIEW_QUEUE);
    tinStatuses = context.getStateStore(ProjectionsTopology.TIN_STATUSES);
    earlyDeliveries = context.getStateStore(ProjectionsTopology.EARLY_CODE_DELIVERIES);
  }

  @Override
  public void process(Record<String, UserEvent> record) {
    UserEvent event = record.value();
    if (event == null) {
      return;
    }
    UserView before = users.get(event.getUserId());
    UserView after = UserViewFolder.fold(before, event);
    if (after == null) {
      log.warn(
          "event {} for user {} precedes its creation; not folded",
          event.getEventId(),
          event.getUserId());
      return;
    }
    if (after == before) {
      return;
    }
    var cause =
        new ComplianceEvents.Cause(
            event.getEventId(), event.getOccurredAt(), event.getPlatformId(), null, Map.of());
    output.publish(record, ComplianceEvents.between(before, after, cause));
    OfacStatusChanged early = before == null ? ofacStatuses.get(event.getUserId()) : null;
    if (early != null) {
      // The first screening was folded before the user's creation reached this task.
      UserView screened = UserViewFolder.fold(after, early);
      output.publish(
          record, ComplianceEvents.between(after, screened, FoldOfacScreening.cause(early)));
      after = screened;
    }
    after = withEarlyTinVerification(record, before, after);
    if (before == null) {
      // a replay read the code's delivery before the creation (FoldSmsDelivery kept it)
      SmsDelivery delivery = earlyDeliveries.get(event.getUserId());
      if (delivery != null) {
        after = CodeDeliveries.fold(after, delivery);
        earlyDeliveries.delete(event.getUserId());
      }
    }
    users.put(event.getUserId(), after);
    changes.user(event.getUserId());
    reindex(before, after);
    if (after.getDeleted()) {
      // Nobody reviews a deleted user.
      OfacStatusChanged status = ofacStatuses.get(event.getUserId());
      String queued =
          status == null ? null : FoldOfacScreening.queueKey(status.getStatus(), event.getUserId());
      if (queued != null) {
        reviewQueue.delete(queued);
      }
    }
  }

  /** A verification of this submission that was folded before the submission itself. */
  private UserView withEarlyTinVerification(
      Record<String, UserEvent> record, UserView before, UserView after) {
    String submission = after.getCompliance().getTinSubmissionId();
    if (submission == null
        || (before != null && submission.equals(before.getCompliance().getTinSubmissionId()))) {
      return after;
    }
    TinVerification early = tinStatuses.get(after.getId());
    if (early == null || !submission.equals(early.getSubmissionId())) {
      return after;
    }
    UserView verified = UserViewFolder.fold(after, early);
    output.publish(
        record, ComplianceEvents.between(after, verified, FoldTinVerification.cause(early)));
    return verified;
  }

  private void reindex(UserView before, UserView after) {
    Set<String> listed = new HashSet<>();
    if (!after.getDeleted()) {
      after.getPlatforms().forEach(p -> listed.add(PlatformIndex.key(p, after)));
    }
    if (before != null && !before.getDeleted()) {
      for (String platform : before.getPlatforms()) {
        String key = PlatformIndex.key(platform, before);
        if (!listed.remove(key)) {
          byPlatform.delete(key);
        }
      }
    }
    listed.forEach(key -> byPlatform.put(key, after.getId()));
  }
}
