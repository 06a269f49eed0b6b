package io.userpipe.commands.topology;

import io.userpipe.schemas.PhoneReleased;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Frees a deleted user's number in the phone registry, so the next create with it makes a new user.
 * Only the claim of that very user is removed: a number claimed anew meanwhile stays.
 */
final class ReleasePhone implements Processor<String, PhoneReleased, Void, Void> {

  private KeyValueStore<String, String> phoneRegistry;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    phoneRegistry = context.getStateStore(UserCommandTopology.PHONE_REGISTRY);
  }

  @Override
  public void process(Record<String, PhoneReleased> record) {
    PhoneReleased released = record.value();
    if (released != null && released.getUserId().equals(phoneRegistry.get(released.getE164()))) {
      phoneRegistry.delete(released.getE164());
    }
  }
}
