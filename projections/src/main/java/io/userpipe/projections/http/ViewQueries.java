package io.userpipe.projections.http;

import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.topology.CommandStatuses;
import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserKey;
import io.userpipe.schemas.UserView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.InvalidStateStorePartitionException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Key lookups in projections' stores with interactive queries (v1; see localStore). While the
 * owning task is not queryable (start-up, rebalance), or a rebuild's replay is not complete, the
 * answer is a 503 with Retry-After: never a wrong or empty answer.
 */
public final class ViewQueries {

  private final KafkaStreams streams;
  private final HostInfo self;
  private final RemoteViews remote;
  private final ReplayGate replay;
  private final Map<String, AtomicReferenceArray<HostInfo>> owners = new ConcurrentHashMap<>();

  /** Answers from this instance's partitions only. */
  public ViewQueries(KafkaStreams streams) {
    this(streams, null, null, ReplayGate.open());
  }

  /**
   * Answers for every key: from this instance's partitions, and from the owning instance's for the
   * rest ({@code self} is this instance's {@code application.server}).
   */
  public ViewQueries(KafkaStreams streams, HostInfo self, RemoteViews remote, ReplayGate replay) {
    this.streams = streams;
    this.self = self;
    this.remote = remote;
    this.replay = replay;
  }

  public Optional<UserView> user(String userId) {
    return get(ProjectionsTopology.USERS_BY_ID, userId);
  }

  public Optional<CommandResult> commandResult(String commandId) {
    return get(ProjectionsTopology.COMMAND_STATUSES, commandId);
  }

  public Optional<EncryptedValue> userKey(String userId) {
    return this.<UserKey>get(ProjectionsTopology.USER_KEYS, userId).map(UserKey::getWrappedKey);
  }

  /**
   * Up to {@code limit} index entries of a platform in (from, to), ascending, gathered from every
   * partition hosted here and merged.
   */
  public List<String> platformIndex(String from, String to, int limit, boolean descending) {
    return keysBetween(ProjectionsTopology.USERS_BY_PLATFORM, from, to, limit, descending);
  }

  /** The latest OFAC status change of a user, with its evidence. */
  public Optional<OfacStatusChanged> ofacStatus(String userId) {
    return get(ProjectionsTopology.OFAC_STATUSES, userId);
  }

  /** A person's compliance history: every OFAC and TIN status change, oldest first. */
  public Optional<ComplianceHistory> complianceHistory(String userId) {
    return get(ProjectionsTopology.COMPLIANCE_HISTORY, userId);
  }

  /** Up to {@code limit} users waiting in {@code status}, by user id, after {@code afterUserId}. */
  public List<String> reviewQueue(String status, String afterUserId, int limit) {
    String prefix = status + "/";
    return keysBetween(
            ProjectionsTopology.OFAC_REVIEW_QUEUE,
            afterUserId == null ? prefix : prefix + afterUserId,
            prefix + "\uffff",
            limit,
            false)
        .stream()
        .map(k -> k.substring(prefix.length()))
        .toList();
  }

  /**
   * Up to {@code limit} keys of a store strictly between {@code from} and {@code to}, gathered from
   * every partition hosted here and merged.
   */
  private List<String> keysBetween(
      String store, String from, String to, int limit, boolean descending) {
    var keys =
        new java.util.TreeSet<String>(
            descending
                ? java.util.Comparator.<String>reverseOrder()
                : java.util.Comparator.<String>naturalOrder());
    int partitions = Topics.USER_EVENTS.partitions();
    LocalKeys local = localKeysBetween(store, from, to, limit, descending);
    keys.addAll(local.keys());
    if (local.partitions() < partitions) {
      // The other partitions live on other instances: ask each of them for theirs.
      if (remote == null || self == null) {
        throw unavailable("not every partition is hosted here");
      }
      int covered = local.partitions();
      for (StreamsMetadata other : streams.streamsMetadataForStore(store)) {
        if (other.hostInfo().equals(self)) {
          continue;
        }
        covered +=
            (int)
                other.topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.USER_EVENTS.name()))
                    .count();
        keys.addAll(remote.keys(other.hostInfo(), store, from, to, limit, descending));
      }
      if (covered < partitions) {
        throw unavailable("the views are rebalancing");
      }
    }
    return keys.stream().limit(limit).toList();
  }

  /** Keys found in the partitions hosted here, and how many partitions that is. */
  record LocalKeys(List<String> keys, int partitions) {}

  LocalKeys localKeysBetween(String store, String from, String to, int limit, boolean descending) {
    List<String> keys = new java.util.ArrayList<>();
    int hosted = 0;
    for (int p : hostedPartitions()) {
      ReadOnlyKeyValueStore<String, String> partition =
          localStore(store, p, QueryableStoreTypes.keyValueStore());
      if (partition == null) {
        throw unavailable("partition " + p + " of " + store + " is moving");
      }
      hosted++;
      try (KeyValueIterator<String, String> it =
          descending ? partition.reverseRange(from, to) : partition.range(from, to)) {
        int taken = 0;
        while (it.hasNext() && taken < limit) {
          String key = it.next().key;
          if (!key.equals(from) && !key.equals(to)) {
            keys.add(key);
            taken++;
          }
        }
      } catch (InvalidStateStoreException e) {
        throw unavailable(e.getMessage());
      }
    }
    return new LocalKeys(keys, hosted);
  }

  /**
   * Whether this instance answers view queries now: no replay in progress, and the user views and
   * command statuses of every partition it hosts are queryable (the stores a write's answer waits
   * on). False while a thread is still restoring, or a rebalance is moving partitions.
   */
  public boolean servesLocally() {
    if (replay.closedBecause().isPresent()) {
      return false;
    }
    try {
      for (int p : hostedPartitions()) {
        localStore(ProjectionsTopology.USERS_BY_ID, p, QueryableStoreTypes.keyValueStore());
        localStore(ProjectionsTopology.COMMAND_STATUSES, p, QueryableStoreTypes.windowStore());
      }
      return true;
    } catch (ApiException | InvalidStateStoreException | IllegalStateException e) {
      return false;
    }
  }

  /** The partitions of users.events (and so of the user views) whose active task runs here. */
  private java.util.SortedSet<Integer> hostedPartitions() {
    var out = new java.util.TreeSet<Integer>();
    for (var thread : streams.metadataForLocalThreads()) {
      for (var task : thread.activeTasks()) {
        for (var tp : task.topicPartitions()) {
          if (tp.topic().equals(Topics.USER_EVENTS.name())) {
            out.add(tp.partition());
          }
        }
      }
    }
    return out;
  }

  /**
   * One partition of a store hosted (and running) here, null when another instance hosts it; 503
   * while it is migrating or restoring. Interactive queries v1: IQv2's key and range queries take
   * the store's position lock before the store's own, the reverse of the stream thread's writes,
   * and were seen to deadlock with them (Kafka Streams 4.3.1).
   */
  private <T> T localStore(String store, int partition, QueryableStoreType<T> type) {
    Optional<String> rebuilding = replay.closedBecause();
    if (rebuilding.isPresent()) {
      throw unavailable(rebuilding.get());
    }
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(store, type).withPartition(partition));
    } catch (InvalidStateStorePartitionException e) {
      return null;
    } catch (InvalidStateStoreException e) {
      throw unavailable(e.getMessage());
    }
  }

  /** Where a key lives; 503 while that is not known (start-up, rebalance). */
  private KeyQueryMetadata owner(String store, String key) {
    KeyQueryMetadata metadata;
    try {
      metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw unavailable("the views are not ready");
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw unavailable("the views are rebalancing");
    }
    return metadata;
  }

  private <V> Optional<V> get(String store, String key) {
    int p = partitionOf(key);
    HostInfo host = ownerOf(store, key, p);
    try {
      if (remote != null && self != null && !self.equals(host)) {
        return remote.fetch(host, store, key).map(bytes -> ViewCodecs.<V>decode(store, bytes));
      }
      return getLocal(store, key, p);
    } catch (ApiException e) {
      if (e.status() == 503) {
        // moved, restoring, or its owner not answering: resolve the owner anew at the next look
        owners.get(store).compareAndSet(p, host, null);
      }
      throw e;
    }
  }

  /**
   * The partition of a key in every store here: the default partitioner's, over the {@value
   * Topics#USER_PARTITIONS} partitions of the topics the views are folded from.
   */
  static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % Topics.USER_PARTITIONS;
  }

  /**
   * The instance whose active task holds partition {@code p} of {@code store}, resolved once and
   * kept until a look there answers 503 (issue 23: resolving it at every look took a quarter of the
   * HTTP door's waiting CPU). A kept owner that is no longer the owner finds the partition not
   * hosted and answers 503, never a wrong entry.
   */
  private HostInfo ownerOf(String store, String key, int p) {
    var hosts =
        owners.computeIfAbsent(store, s -> new AtomicReferenceArray<>(Topics.USER_PARTITIONS));
    HostInfo host = hosts.get(p);
    if (host != null) {
      return host;
    }
    KeyQueryMetadata metadata = owner(store, key);
    if (metadata.partition() != p) {
      throw new IllegalStateException(
          store + " places " + key + " in partition " + metadata.partition() + ", not " + p);
    }
    hosts.set(p, metadata.activeHost());
    return metadata.activeHost();
  }

  /** An entry of a partition this instance hosts; 503 when it does not host it (now). */
  <V> Optional<V> getLocal(String store, String key) {
    return getLocal(store, key, partitionOf(key));
  }

  @SuppressWarnings("unchecked")
  private <V> Optional<V> getLocal(String store, String key, int p) {
    try {
      if (store.equals(ProjectionsTopology.COMMAND_STATUSES)) {
        ReadOnlyWindowStore<String, CommandResult> partition =
            hosted(localStore(store, p, QueryableStoreTypes.windowStore()));
        return (Optional<V>) CommandStatuses.first(partition, key, Instant.now());
      }
      ReadOnlyKeyValueStore<String, V> partition =
          hosted(localStore(store, p, QueryableStoreTypes.keyValueStore()));
      return Optional.ofNullable(partition.get(key));
    } catch (InvalidStateStoreException e) {
      throw unavailable(e.getMessage());
    }
  }

  private static <T> T hosted(T partition) {
    if (partition == null) {
      throw unavailable("partition not hosted here");
    }
    return partition;
  }

  private static ApiException unavailable(String why) {
    return new ApiException(
        503,
        "unavailable",
        "views are not queryable right now: " + why,
        List.of(),
        Map.of("Retry-After", "1"));
  }
}
