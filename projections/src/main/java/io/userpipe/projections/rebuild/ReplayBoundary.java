package io.userpipe.projections.rebuild;

import io.userpipe.schemas.ReplayMark;
import io.userpipe.schemas.ReplayMarks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a view rebuild's replay ends, per input partition: records before {@code publishedBefore}
 * were processed before the rebuild and their compliance events are already on the public topic, so
 * the replay folds them into the views again without publishing anything for them.
 *
 * @param rebuildId the rebuild these marks belong to, or null when no rebuild was ever asked for
 */
public record ReplayBoundary(String rebuildId, Map<TopicPartition, Range> ranges) {

  /** One partition's replay: from the log start at the rebuild to the old committed offset. */
  public record Range(long replayFrom, long publishedBefore) {
    long records() {
      return Math.max(0, publishedBefore - replayFrom);
    }
  }

  public ReplayBoundary {
    ranges = Map.copyOf(ranges);
  }

  /** No rebuild: every record's events are published. */
  public static ReplayBoundary none() {
    return new ReplayBoundary(null, Map.of());
  }

  public boolean isNone() {
    return rebuildId == null;
  }

  /** Whether the events of the record being processed went out before the rebuild. */
  public boolean alreadyPublished(Optional<RecordMetadata> record) {
    if (ranges.isEmpty() || record.isEmpty()) {
      return false;
    }
    RecordMetadata m = record.get();
    Range range = ranges.get(new TopicPartition(m.topic(), m.partition()));
    return range != null && m.offset() < range.publishedBefore();
  }

  /** How many records the replay reads before it reaches the marks. */
  public long recordsToReplay() {
    return ranges.values().stream().mapToLong(Range::records).sum();
  }

  public static ReplayBoundary fromAvro(ReplayMarks marks) {
    Map<TopicPartition, Range> ranges =
        marks.getPartitions().stream()
            .collect(
                Collectors.toMap(
                    m -> new TopicPartition(m.getTopic(), m.getPartition()),
                    m -> new Range(m.getReplayFrom(), m.getPublishedBefore())));
    return new ReplayBoundary(marks.getRebuildId(), ranges);
  }

  public ReplayMarks toAvro(String applicationId, java.time.Instant requestedAt) {
    List<ReplayMark> partitions = new ArrayList<>();
    ranges.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<TopicPartition, Range> e) -> e.getKey().topic())
                .thenComparingInt(e -> e.getKey().partition()))
        .forEach(
            e ->
                partitions.add(
                    ReplayMark.newBuilder()
                        .setTopic(e.getKey().topic())
                        .setPartition(e.getKey().partition())
                        .setReplayFrom(e.getValue().replayFrom())
                        .setPublishedBefore(e.getValue().publishedBefore())
                        .build()));
    return ReplayMarks.newBuilder()
        .setRebuildId(rebuildId)
        .setApplicationId(applicationId)
        .setRequestedAt(requestedAt)
        .setPartitions(partitions)
        .build();
  }
}
