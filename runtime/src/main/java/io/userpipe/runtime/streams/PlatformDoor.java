package io.userpipe.runtime.streams;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The Kafka door's platforms. An upstream service writes only its own platform's topics ({@link
 * Topics#platformUserCommands}), which the broker lets only that platform's principal write; so the
 * platform a command acts for is the one whose topic it came in on, whatever its {@code
 * platform_id} field says. A command whose field names another platform is rejected, and the result
 * of every command that came in this way is copied to the platform's own results topic, which only
 * that platform reads.
 *
 * <p>Where a command is decided after a hop (a create re-keyed to its phone's partition, a command
 * for a user of another partition), the platform travels with it in a header that only this
 * pipeline's services write: the platforms' topics are read by nothing else, and the shared topics
 * it crosses ({@code users.commands}, {@code users.commands.by-user}) are written by no platform.
 */
public final class PlatformDoor {

  /** The header that carries the platform whose own topic a command came in on. */
  public static final String HEADER = "userpipe-door-platform";

  private PlatformDoor() {}

  /** The platform whose own topic the record being processed came from; empty on shared topics. */
  public static Optional<String> sourcePlatform(ProcessorContext<?, ?> context) {
    var topic = context.recordMetadata().map(m -> m.topic());
    if (topic.isPresent() && Topics.isPlatformAnchor(topic.get())) {
      // dead-lettered with this reason: an anchor holds no platform's commands
      throw new IllegalArgumentException(
          topic.get() + " is a platform pattern's anchor, written by nothing and for no platform");
    }
    return topic.flatMap(Topics::platformOfTopic);
  }

  /** The platform a command came in for through the Kafka door, as stamped on the record. */
  public static Optional<String> stamped(Headers headers) {
    Header last = headers.lastHeader(HEADER);
    return last == null || last.value() == null
        ? Optional.empty()
        : Optional.of(new String(last.value(), StandardCharsets.UTF_8));
  }

  /**
   * The record with the door's platform stamped, replacing whatever header the producer set (a
   * platform cannot stamp another's): the headers are copied, since Kafka Streams shares them
   * between a record and the copies made from it.
   */
  public static <K, V> Record<K, V> stamp(Record<K, V> record, String platformId) {
    var headers = new RecordHeaders(record.headers().toArray());
    headers.remove(HEADER);
    headers.add(HEADER, platformId.getBytes(StandardCharsets.UTF_8));
    return record.withHeaders(headers);
  }

  /**
   * A sink writing each result to its platform's own results topic, named from the result's {@code
   * platform_id}: a command that came through the door is answered for the door's platform.
   */
  @SuppressWarnings("unchecked")
  public static void addResultsSink(
      Topology topology, AvroSerdes serdes, String name, String... parents) {
    var template = Topics.platformCommandResults("any");
    topology.addSink(
        name,
        (key, value, context) ->
            Topics.platformCommandResults(((CommandResult) value).getPlatformId()).name(),
        serdes.keySerde(template).serializer(),
        (Serializer<Object>) (Serializer<?>) serdes.valueSerde(template).serializer(),
        parents);
  }
}
