package io.userpipe.commands.sms;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Handler;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.SmsDelivery;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sms/status}: Twilio's delivery-status callback. It is checked with Twilio's
 * signature over the configured callback URL (the one Twilio was given, query included) and the
 * form's parameters, then recorded on {@code sms.deliveries}. A request whose signature does not
 * check is refused with 403 and records nothing. The parameters carry the recipient's number
 * ({@code To}): nothing of them is logged.
 */
public final class SmsStatusCallback implements Handler {

  public static final String PATH = "/sms/status";

  private static final Logger log = LoggerFactory.getLogger(SmsStatusCallback.class);

  /** Twilio's message statuses that a callback may report. */
  static final Set<String> STATUSES =
      Set.of(
          "queued",
          "sending",
          "sent",
          "delivered",
          "undelivered",
          "failed",
          "read",
          "accepted",
          "scheduled",
          "canceled");

  private static final Pattern CODE = Pattern.compile("[0-9A-Za-z_]{1,16}");

  private final String authToken;
  private final URI callbackBase;
  private final SmsDeliveries deliveries;
  private final Clock clock;

  public SmsStatusCallback(
      String authToken, URI callbackBase, SmsDeliveries deliveries, Clock clock) {
    this.authToken = authToken;
    this.callbackBase = callbackBase;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  @Override
  public Response handle(Request request) throws Exception {
    var about = SmsCallbackUrl.parse(request::query);
    Map<String, List<String>> form = parseForm(request.body());
    String signature = request.header(TwilioSignature.HEADER).orElse(null);
    if (about.isEmpty()
        || !TwilioSignature.verify(authToken, about.get().on(callbackBase), form, signature)) {
      log.warn("an SMS status callback with a signature that does not check was refused");
      throw new ApiException(403, "forbidden", "signature does not check");
    }
    String status = first(form, "MessageStatus").toLowerCase(Locale.ROOT);
    if (!STATUSES.contains(status)) {
      throw new ApiException(400, "invalid_request", "unknown MessageStatus");
    }
    String errorCode = first(form, "ErrorCode");
    String sid = first(form, "MessageSid");
    var message = about.get();
    deliveries.record(
        SmsDelivery.newBuilder()
            .setEventId(SmsDeliveries.eventId(message.messageId(), status))
            .setMessageId(message.messageId())
            .setUserId(message.userId())
            .setPlatformId(message.platformId())
            .setMessageCreatedAt(message.sentAt())
            .setStatus(status)
            .setErrorCode(CODE.matcher(errorCode).matches() ? errorCode : null)
            .setProviderMessageId(sid.isEmpty() ? null : sid)
            .setOccurredAt(clock.instant())
            .build());
    log.debug("SMS {}: the provider reports {}", message.messageId(), status);
    return Response.noContent();
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  static Map<String, List<String>> parseForm(byte[] body) {
    var form = new LinkedHashMap<String, List<String>>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return form;
    }
    try {
      for (String pair : text.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_request", "malformed form body");
    }
    return form;
  }
}
