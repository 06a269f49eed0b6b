package io.userpipe.projections.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.userpipe.schemas.PayoutMethodSummary;
import java.util.Locale;

/**
 * A payout method as Dots answers it ({@code id, platform, description, mask, email, phone_number,
 * cash_tag, country, currency}), plus our {@code account_type} and {@code default}. Never an
 * account or routing number: {@code mask} and the masked handle only.
 */
record PayoutMethodBody(
    String id,
    String platform,
    String description,
    String mask,
    String email,
    @JsonProperty("phone_number") String phoneNumber,
    @JsonProperty("cash_tag") String cashTag,
    String country,
    String currency,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("account_type") String accountType,
    @JsonProperty("default") boolean isDefault) {

  /** Every rail this service pays on is a US one, paid in dollars. */
  static final String COUNTRY = "US";

  static final String CURRENCY = "USD";

  static PayoutMethodBody of(PayoutMethodSummary m, String defaultId) {
    String kind = m.getKind();
    String description =
        switch (kind) {
          case "ach" ->
              "ACH "
                  + (m.getAccountType() == null ? "" : m.getAccountType() + " ")
                  + "account "
                  + m.getMask();
          case "paypal" -> "PayPal " + m.getMask();
          case "venmo" -> "Venmo " + m.getMask();
          case "cash_app" -> "Cash App " + m.getMask();
          default -> kind.toUpperCase(Locale.ROOT) + " " + m.getMask();
        };
    return new PayoutMethodBody(
        m.getId(),
        kind,
        description,
        m.getMask(),
        kind.equals("paypal") ? m.getMask() : null,
        kind.equals("venmo") ? m.getMask() : null,
        kind.equals("cash_app") ? m.getMask() : null,
        COUNTRY,
        CURRENCY,
        m.getAccountType(),
        m.getId().equals(defaultId));
  }
}
