package io.userpipe.projections.topology;

import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserView;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the users-by-id view: one fold per user event. */
final class FoldUserView implements Processor<String, UserEvent, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(FoldUserView.class);

  private KeyValueStore<String, UserView> users;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    users = context.getStateStore(ProjectionsTopology.USERS_BY_ID);
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
    if (after != before) {
      users.put(event.getUserId(), after);
    }
  }
}
