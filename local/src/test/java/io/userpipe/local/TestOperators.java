package io.userpipe.local;

import io.userpipe.runtime.cli.OperatorsTool;
import io.userpipe.runtime.config.AppConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Operators for the end-to-end tests, made as {@code bin/operators} makes them. */
final class TestOperators {

  /** An operator, its secret, and a client that authenticates as it. */
  record Operator(String id, String secret, ApiClient client) {}

  private TestOperators() {}

  static OperatorsTool tool(AppConfig config) {
    return new OperatorsTool(
        config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "test");
  }

  /**
   * A new operator of a fresh id (the tests share one broker, and ids are never reused), once the
   * pipeline's doors know it: the doors follow the operators topic, so that takes a moment.
   */
  static Operator add(AppConfig config, String baseUrl, String name) throws Exception {
    String id = name + "-" + System.nanoTime();
    String secret = tool(config).add(id);
    var client = new ApiClient(baseUrl, id, secret);
    awaitStatus(client, 200);
    return new Operator(id, secret, client);
  }

  /** Waits until the operator endpoint answers this client with {@code status}. */
  static void awaitStatus(ApiClient client, int status) throws InterruptedException {
    client.awaitStatus("/admin/ofac/review-queue?limit=1", status);
  }
}
