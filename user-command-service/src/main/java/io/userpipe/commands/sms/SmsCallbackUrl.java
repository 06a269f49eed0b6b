package io.userpipe.commands.sms;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The status-callback URL given to the provider with each message: the configured base and, in its
 * query, which message it is about. The provider signs the URL it was given, so these fields come
 * back authenticated and the callback needs no lookup table. The receiver rebuilds the URL with the
 * same function to check the signature.
 */
record SmsCallbackUrl(String messageId, String userId, String platformId, Instant sentAt) {

  static final String MESSAGE = "message_id";
  static final String USER = "user_id";
  static final String PLATFORM = "platform_id";
  static final String SENT_AT = "sent_at";

  static SmsCallbackUrl of(SmsRequest message) {
    return new SmsCallbackUrl(
        message.messageId(), message.userId(), message.platformId(), message.createdAt());
  }

  /** From a request's query parameters; empty when one is missing or malformed. */
  static Optional<SmsCallbackUrl> parse(Function<String, Optional<String>> query) {
    var message = query.apply(MESSAGE);
    var user = query.apply(USER);
    var sentAt = query.apply(SENT_AT);
    if (message.isEmpty() || user.isEmpty() || sentAt.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new SmsCallbackUrl(
              message.get(),
              user.get(),
              query.apply(PLATFORM).orElse(null),
              Instant.ofEpochMilli(Long.parseLong(sentAt.get()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  String on(URI base) {
    var url = new StringBuilder(base.toString());
    url.append(base.getRawQuery() == null ? '?' : '&');
    url.append(MESSAGE).append('=').append(encode(messageId));
    url.append('&').append(USER).append('=').append(encode(userId));
    if (platformId != null) {
      url.append('&').append(PLATFORM).append('=').append(encode(platformId));
    }
    url.append('&').append(SENT_AT).append('=').append(sentAt.toEpochMilli());
    return url.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
