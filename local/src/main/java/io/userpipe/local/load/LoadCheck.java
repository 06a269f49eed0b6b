package io.userpipe.local.load;

import io.userpipe.local.LocalDemo;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.Partitions;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The end of every benchmark run: was it correct under load? Every create of the run has exactly
 * one result on {@code users.command-results}, every phone exactly one user, and every user is
 * readable through the API (the views miss none). A run that fails the check fails.
 */
final class LoadCheck {

  /** One create of the run: its command id and its phone. */
  record Create(String commandId, String phone) {}

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final Map<TopicPartition, Long> from;

  /** Marks where the run's results begin (call before its first create). */
  LoadCheck(AppConfig config, AvroSerdes serdes) {
    this.config = config;
    this.serdes = serdes;
    this.from = ends(config);
  }

  /** Checks the run's creates, prints what it found; false if anything is wrong. */
  boolean check(List<Create> creates) throws InterruptedException {
    Map<String, Create> byCommand = new HashMap<>();
    creates.forEach(c -> byCommand.put(c.commandId(), c));
    Map<String, Integer> results = new HashMap<>();
    Map<String, Set<String>> usersOfPhone = new HashMap<>();
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    var values = serdes.valueSerde(Topics.COMMAND_RESULTS).deserializer();
    Map<TopicPartition, Long> to = ends(config);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = Partitions.assignAll(consumer, Topics.COMMAND_RESULTS.name());
      partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < to.getOrDefault(tp, 0L))) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue;
          }
          CommandResult result = (CommandResult) values.deserialize(r.topic(), r.value());
          Create create = byCommand.get(result.getCommandId());
          if (create == null) {
            continue; // not this run's
          }
          results.merge(result.getCommandId(), 1, Integer::sum);
          if (result.getOutcome() == CommandOutcome.ACCEPTED && result.getUserId() != null) {
            usersOfPhone
                .computeIfAbsent(create.phone(), p -> new HashSet<>())
                .add(result.getUserId());
          }
        }
      }
    }
    long missing = byCommand.keySet().stream().filter(id -> !results.containsKey(id)).count();
    long doubled = results.values().stream().filter(n -> n > 1).count();
    long phones = creates.stream().map(Create::phone).distinct().count();
    long phonesWithoutUser = phones - usersOfPhone.size();
    long phonesWithTwo = usersOfPhone.values().stream().filter(u -> u.size() > 1).count();
    Set<String> users = new HashSet<>();
    usersOfPhone.values().forEach(users::addAll);
    int unreadable = unreadable(users);
    boolean correct =
        missing == 0
            && doubled == 0
            && phonesWithoutUser == 0
            && phonesWithTwo == 0
            && unreadable == 0;
    System.out.printf(
        "check: %,d creates: %,d without a result, %,d with more than one; %,d phones: %,d without"
            + " a user, %,d with two or more; %,d users: %,d not readable through the API: %s%n",
        creates.size(),
        missing,
        doubled,
        phones,
        phonesWithoutUser,
        phonesWithTwo,
        users.size(),
        unreadable,
        correct ? "CORRECT" : "NOT CORRECT");
    return correct;
  }

  /** How many of {@code users} the API does not answer 200 for (a view missing), 32 at a time. */
  private int unreadable(Set<String> users) throws InterruptedException {
    var client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String base = "http://127.0.0.1:" + config.getInt(AppConfig.HTTP_PORT, 8080) + "/v2/users/";
    String authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (LocalDemo.DEMO_CLIENT_ID + ":" + LocalDemo.DEMO_API_KEY)
                        .getBytes(StandardCharsets.UTF_8));
    var failed = new AtomicInteger();
    var slots = new Semaphore(32);
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (String user : users) {
      slots.acquire();
      reads.add(
          client
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(base + user))
                      .timeout(Duration.ofSeconds(30))
                      .header("Authorization", authorization)
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                      if (failed.getAndIncrement() < 3) {
                        System.out.println(
                            "  user "
                                + user
                                + " not readable: "
                                + (error != null ? error : response.statusCode()));
                      }
                    }
                    slots.release();
                  }));
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .join();
    return failed.get();
  }

  private static Map<TopicPartition, Long> ends(AppConfig config) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = Partitions.assignAll(consumer, Topics.COMMAND_RESULTS.name());
      return new HashMap<>(consumer.endOffsets(partitions));
    }
  }
}
