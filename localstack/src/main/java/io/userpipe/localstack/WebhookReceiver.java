package io.userpipe.localstack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * A platform's webhook endpoint on loopback, for the local demo ({@code bin/webhook-receiver}) and
 * the tests: it verifies every delivery with {@link SpecWebhookVerifier} (written from the Standard
 * Webhooks text, not from our signer), keeps what it received, and answers with the status it is
 * told to (204 by default). A {@link #hold()} keeps requests open until {@link #release()}.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request received. */
  public record Received(
      String webhookId, String timestamp, String signature, String body, boolean verified) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile String secret;
  private volatile IntSupplier answer = () -> 204;
  private volatile java.util.concurrent.CountDownLatch held;
  private final java.util.function.Consumer<Received> onReceive;

  public WebhookReceiver(int port, java.util.function.Consumer<Received> onReceive)
      throws IOException {
    this.onReceive = onReceive;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          var h = exchange.getRequestHeaders();
          String s = secret;
          var r =
              new Received(
                  h.getFirst("webhook-id"),
                  h.getFirst("webhook-timestamp"),
                  h.getFirst("webhook-signature"),
                  new String(body, StandardCharsets.UTF_8),
                  s != null
                      && SpecWebhookVerifier.verify(
                          s,
                          h.getFirst("webhook-id"),
                          h.getFirst("webhook-timestamp"),
                          body,
                          h.getFirst("webhook-signature")));
          received.add(r);
          onReceive.accept(r);
          var latch = held;
          if (latch != null) {
            try {
              latch.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(answer.getAsInt(), -1);
          exchange.close();
        });
    server.start();
  }

  public WebhookReceiver() throws IOException {
    this(0, r -> {});
  }

  /** The URL to register: {@code http://127.0.0.1:<port>/hook}. */
  public String url() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port() + "/hook";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The endpoint's secret, as the API answered it: what deliveries are verified with. */
  public void secret(String secret) {
    this.secret = secret;
  }

  /** The status to answer (a 500 to fail deliveries). */
  public void answer(IntSupplier status) {
    this.answer = status;
  }

  /** Keeps every request open from now until {@link #release()}. */
  public void hold() {
    held = new java.util.concurrent.CountDownLatch(1);
  }

  public void release() {
    var latch = held;
    held = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }

  /**
   * {@code bin/webhook-receiver PORT SECRET}: prints each delivery, and whether its signature
   * holds.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: bin/webhook-receiver PORT whsec_SECRET");
      System.exit(2);
    }
    var receiver =
        new WebhookReceiver(
            Integer.parseInt(args[0]),
            r ->
                System.out.println(
                    (r.verified() ? "verified " : "FORGED   ") + r.webhookId() + " " + r.body()));
    receiver.secret(args[1]);
    System.out.println("receiving on " + receiver.url());
    Thread.currentThread().join();
  }
}
