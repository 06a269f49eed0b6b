package io.userpipe.projections.http;

import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Key lookups in projections' stores with interactive queries (IQv2). While the owning task is not
 * queryable (start-up, rebalance) the answer is a 503 with Retry-After: never a wrong or empty
 * answer.
 */
public final class ViewQueries {

  private final KafkaStreams streams;

  public ViewQueries(KafkaStreams streams) {
    this.streams = streams;
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
    RangeQuery<String, String> range = RangeQuery.withRange(from, to);
    if (descending) {
      range = range.withDescendingKeys();
    }
    StateQueryResult<KeyValueIterator<String, String>> result =
        streams.query(
            StateQueryRequest.inStore(ProjectionsTopology.USERS_BY_PLATFORM).withQuery(range));
    var keys =
        new java.util.TreeSet<String>(
            descending
                ? java.util.Comparator.<String>reverseOrder()
                : java.util.Comparator.<String>naturalOrder());
    int partitions = Topics.USER_EVENTS.partitions();
    if (result.getPartitionResults().size() < partitions) {
      // Another instance hosts some partitions; listing across instances is not served here yet.
      throw unavailable("not every partition is hosted here");
    }
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
    return keys.stream().limit(limit).toList();
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
