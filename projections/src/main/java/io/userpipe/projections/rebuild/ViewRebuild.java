package io.userpipe.projections.rebuild;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Resets a stopped Streams service so that it rebuilds its views from the event log when it next
 * starts:
 *
 * <ol>
 *   <li>refuses while any instance is still in the group (a running instance would keep writing);
 *   <li>records the group's committed offsets as the replay marks, on {@code views.replay-marks}
 *       (never lower than the marks of an earlier rebuild whose replay has not got that far);
 *   <li>deletes the group, so the service reads its inputs from the start again;
 *   <li>deletes the service's changelog and repartition topics (Streams creates them afresh).
 * </ol>
 *
 * Each instance wipes its local state when it starts and finds a rebuild id it has not seen (see
 * {@link LocalStateMarker}); the replay then folds every record into fresh stores and publishes no
 * compliance event a second time ({@link ReplayBoundary}). Every step can be run again after a
 * crash.
 */
public final class ViewRebuild {

  private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(60);

  private final AppConfig config;
  private final String applicationId;
  private final ReplayMarksTopic marks;
  private final Clock clock;

  public ViewRebuild(AppConfig config, String serviceName, Clock clock) {
    this.config = config;
    this.applicationId = config.appIdPrefix() + serviceName;
    this.marks = new ReplayMarksTopic(config, AvroSerdes.from(config));
    this.clock = clock;
  }

  public String applicationId() {
    return applicationId;
  }

  /** Resets the service; {@code out} hears each step. Answers the marks the replay will honour. */
  public ReplayBoundary reset(Consumer<String> out) throws InterruptedException {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      refuseWhileRunning(admin);
      Map<TopicPartition, Long> committed = committedOffsets(admin);
      ReplayBoundary previous = marks.latest(applicationId);
      Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
      partitions.addAll(previous.ranges().keySet());
      Map<TopicPartition, Long> logStart = logStartOffsets(admin, partitions);
      Map<TopicPartition, ReplayBoundary.Range> ranges = new HashMap<>();
      for (TopicPartition tp : partitions) {
        long before =
            Math.max(
                committed.getOrDefault(tp, 0L),
                previous.ranges().containsKey(tp)
                    ? previous.ranges().get(tp).publishedBefore()
                    : 0L);
        long from = Math.min(logStart.getOrDefault(tp, 0L), before);
        ranges.put(tp, new ReplayBoundary.Range(from, before));
      }
      var boundary = new ReplayBoundary(UUID.randomUUID().toString(), ranges);
      marks.write(applicationId, boundary, clock.instant());
      out.accept(
          String.format(
              "recorded replay marks %s for %s: %,d records over %d partitions to fold again",
              boundary.rebuildId(), applicationId, boundary.recordsToReplay(), ranges.size()));

      deleteGroup(admin);
      out.accept("deleted consumer group " + applicationId + " (the service reads from the start)");

      Set<String> internal = internalTopics(admin);
      if (!internal.isEmpty()) {
        admin.deleteTopics(internal).all().get();
        awaitDeleted(admin, internal);
      }
      out.accept("deleted internal topics " + internal);
      return boundary;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "rebuild of " + applicationId + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void refuseWhileRunning(Admin admin) throws InterruptedException, ExecutionException {
    ConsumerGroupDescription group;
    try {
      group = admin.describeConsumerGroups(List.of(applicationId)).all().get().get(applicationId);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return;
      }
      throw e;
    }
    if (group != null && !group.members().isEmpty()) {
      String hosts =
          group.members().stream()
              .map(m -> m.host())
              .collect(Collectors.toCollection(TreeSet::new))
              .toString();
      throw new IllegalStateException(
          applicationId
              + " still has "
              + group.members().size()
              + " running instance(s) "
              + hosts
              + "; stop every instance first, then reset");
    }
  }

  private Map<TopicPartition, Long> committedOffsets(Admin admin)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed =
          admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of();
      }
      throw e;
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    committed.forEach(
        (tp, o) -> {
          if (o != null) {
            out.put(tp, o.offset());
          }
        });
    return out;
  }

  private static Map<TopicPartition, Long> logStartOffsets(
      Admin admin, Set<TopicPartition> partitions) throws InterruptedException, ExecutionException {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    var request =
        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private void deleteGroup(Admin admin) throws InterruptedException, ExecutionException {
    try {
      admin.deleteConsumerGroups(List.of(applicationId)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
    }
  }

  private Set<String> internalTopics(Admin admin) throws InterruptedException, ExecutionException {
    String prefix = applicationId + "-";
    return admin.listTopics().names().get().stream()
        .filter(t -> t.startsWith(prefix))
        .filter(t -> t.endsWith("-changelog") || t.endsWith("-repartition"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void awaitDeleted(Admin admin, Set<String> topics)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + DELETE_TIMEOUT.toNanos();
    while (true) {
      Set<String> left = new TreeSet<>(admin.listTopics().names().get());
      left.retainAll(topics);
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + left + " still exist after " + DELETE_TIMEOUT);
      }
      Thread.sleep(200);
    }
  }
}
