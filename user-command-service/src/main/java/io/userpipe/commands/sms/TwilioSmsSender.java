package io.userpipe.commands.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.runtime.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sends through Twilio's Messages API ({@code POST /2010-04-01/Accounts/{sid}/Messages.json}, HTTP
 * Basic with the account SID and auth token, form fields {@code To}, {@code From} or {@code
 * MessagingServiceSid}, {@code Body}, {@code StatusCallback}), with the JDK's HTTP client rather
 * than Twilio's SDK: the SDK's errors carry no {@code Retry-After}, it retries 5xx on its own
 * schedule, and it reaches only Twilio's hosts (docs/ARCHITECTURE.md, "SMS delivery").
 *
 * <p>One call, no retry here: a 429 or 5xx, a timeout or a broken connection throws {@link
 * TransientSmsException} (with the provider's {@code Retry-After}); a 4xx with a Twilio error code
 * (21211 invalid number, 21610 unsubscribed, ...) is a {@link SmsOutcome.Refused}. Twilio's error
 * messages quote the number, so nothing of a response body but its code and sid is kept, and
 * nothing of the request reaches a log or an exception.
 */
public final class TwilioSmsSender implements SmsSender {

  /** More than any answer of the Messages API; a larger body is not read further. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final TwilioSettings settings;
  private final HttpClient http;
  private final URI messages;
  private final String authorization;

  /**
   * The JDK HTTP client's own logging, switched on by system properties at JVM start: it would
   * print requests (the number, the text, the credentials) to standard error.
   */
  static final List<String> CLIENT_LOGGING =
      List.of("jdk.httpclient.HttpClient.log", "jdk.internal.httpclient.debug");

  /**
   * @throws IllegalStateException when the JDK HTTP client's request logging is on: it would print
   *     every code
   */
  public TwilioSmsSender(TwilioSettings settings) {
    for (String property : CLIENT_LOGGING) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank() && !value.equals("false") && !value.equals("errors")) {
        throw new IllegalStateException(
            "refusing to send SMS while "
                + property
                + " is set: the JDK HTTP client would log the messages and the credentials");
      }
    }
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String base = settings.apiBaseUrl().toString().replaceAll("/+$", "");
    this.messages =
        URI.create(
            base
                + "/2010-04-01/Accounts/"
                + URLEncoder.encode(settings.accountSid(), StandardCharsets.UTF_8)
                + "/Messages.json");
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (settings.accountSid() + ":" + settings.authToken())
                        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public SmsOutcome send(SmsRequest message) throws TransientSmsException, InterruptedException {
    var form = new LinkedHashMap<String, String>();
    form.put("To", message.to());
    settings.from().ifPresent(from -> form.put("From", from));
    settings.messagingServiceSid().ifPresent(sid -> form.put("MessagingServiceSid", sid));
    form.put("Body", message.text());
    settings
        .statusCallbackUrl()
        .ifPresent(base -> form.put("StatusCallback", SmsCallbackUrl.of(message).on(base)));
    var request =
        HttpRequest.newBuilder(messages)
            .timeout(settings.requestTimeout())
            .header("Authorization", authorization)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
            .build();
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_RESPONSE_BYTES);
      }
    } catch (IOException e) {
      // the exception's own text names the URL at most; keep only its kind
      throw new TransientSmsException(
          "Twilio unreachable: " + e.getClass().getSimpleName(), (Throwable) null);
    }
    return outcome(response.statusCode(), response.headers().firstValue("Retry-After"), body);
  }

  static SmsOutcome outcome(int status, Optional<String> retryAfter, byte[] body)
      throws TransientSmsException {
    JsonNode json = parse(body);
    if (status >= 200 && status < 300) {
      return new SmsOutcome.Accepted(text(json, "sid"));
    }
    if (status == 429 || status >= 500) {
      throw new TransientSmsException(
          "Twilio answered " + status + codeSuffix(json),
          retryAfter.flatMap(TwilioSmsSender::seconds).orElse(null));
    }
    if (status >= 300 && status < 400) {
      // never followed: a redirect means a misconfigured TWILIO_API_URL, not the recipient
      throw new TransientSmsException(
          "Twilio answered a redirect (" + status + ")", (Duration) null);
    }
    if (status == 401 || status == 403) {
      // our credentials, not the recipient: no refusal to record against the person
      throw new TransientSmsException(
          "Twilio refused our credentials (" + status + codeSuffix(json) + ")", (Duration) null);
    }
    String code = text(json, "code");
    return new SmsOutcome.Refused(
        SmsDeliveryStatus.REFUSED, code == null ? "http_" + status : code);
  }

  private static String codeSuffix(JsonNode json) {
    String code = text(json, "code");
    return code == null ? "" : ", error " + code;
  }

  private static Optional<Duration> seconds(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: our own backoff then
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : Json.mapper().readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode json, String field) {
    if (json == null || !json.hasNonNull(field)) {
      return null;
    }
    JsonNode value = json.get(field);
    return value.isValueNode() ? value.asText() : null;
  }

  static String formEncode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  @Override
  public String toString() {
    return "TwilioSmsSender[" + settings + "]";
  }
}
