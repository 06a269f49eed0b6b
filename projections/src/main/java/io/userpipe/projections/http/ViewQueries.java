package io.userpipe.projections.http;

import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Key lookups in projections' stores with interactive queries (IQv2). While the owning task is not
 * queryable (start-up, rebalance) the answer is a 503 with Retry-After: never a wrong or empty
 * answer.
 */
public final class ViewQueries {

  private final KafkaStreams streams;
  private final HostInfo self;
  private final RemoteViews remote;

  /** Answers from this instance's partitions only. */
  public ViewQueries(KafkaStreams streams) {
    this(streams, null, null);
  }

  /**
   * Answers for every key: from this instance's partitions, and from the owning instance's for the
   * rest ({@code self} is this instance's {@code application.server}).
   */
  public ViewQueries(KafkaStreams streams, HostInfo self, RemoteViews remote) {
    this.streams = streams;
    this.self = self;
    this.remote = remote;
  }

  public Optional<UserView> user(String userId) {
    return get(ProjectionsTopology.USERS_BY_ID, userId);
  }

  public Optional<CommandResult> commandResult(String commandId) {
    return get(ProjectionsTopology.COMMAND_STATUS, commandId);
  }

  public Optional<EncryptedValue> userKey(String userId) {
    return get(ProjectionsTopology.USER_KEYS, userId);
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
    RangeQuery<String, String> range = RangeQuery.withRange(from, to);
    if (descending) {
      range = range.withDescendingKeys();
    }
    StateQueryResult<KeyValueIterator<String, String>> result =
        streams.query(StateQueryRequest.inStore(store).withQuery(range));
    List<String> keys = new java.util.ArrayList<>();
    for (QueryResult<KeyValueIterator<String, String>> partition :
        result.getPartitionResults().values()) {
      if (partition.isFailure()) {
        throw unavailable(partition.getFailureMessage());
      }
      try (KeyValueIterator<String, String> it = partition.getResult()) {
        int taken = 0;
        while (it.hasNext() && taken < limit) {
          String key = it.next().key;
          if (!key.equals(from) && !key.equals(to)) {
            keys.add(key);
            taken++;
          }
        }
      }
    }
    return new LocalKeys(keys, result.getPartitionResults().size());
  }

  private <V> Optional<V> get(String store, String key) {
    KeyQueryMetadata metadata;
    try {
      metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw unavailable("the views are not ready");
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw unavailable("the views are rebalancing");
    }
    if (remote != null && self != null && !self.equals(metadata.activeHost())) {
      return remote
          .fetch(metadata.activeHost(), store, key)
          .map(bytes -> ViewCodecs.<V>decode(store, bytes));
    }
    return getLocal(store, key);
  }

  /** An entry of a partition this instance hosts; 503 when it does not host it (now). */
  <V> Optional<V> getLocal(String store, String key) {
    KeyQueryMetadata metadata;
    try {
      metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw unavailable("the views are not ready");
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw unavailable("the views are rebalancing");
    }
    int partition = metadata.partition();
    StateQueryRequest<V> request =
        StateQueryRequest.inStore(store)
            .withQuery(KeyQuery.<String, V>withKey(key))
            .withPartitions(Set.of(partition));
    QueryResult<V> result = streams.query(request).getPartitionResults().get(partition);
    if (result == null || result.isFailure()) {
      throw unavailable(result == null ? "partition not hosted here" : result.getFailureMessage());
    }
    return Optional.ofNullable(result.getResult());
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
