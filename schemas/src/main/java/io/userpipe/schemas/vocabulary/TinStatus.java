package io.userpipe.schemas.vocabulary;

/** The statuses Dots shows in compliance.w9.tax_id_verification. */
public final class TinStatus {

  public static final String PENDING = "pending";
  public static final String MATCHED = "matched";
  public static final String MISMATCHED = "mismatched";

  private TinStatus() {}
}
