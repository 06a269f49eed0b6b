package io.userpipe.projections.view;

import io.userpipe.schemas.UserView;

/**
 * Keys of the per-platform index, ordered newest user first: {@code platform|inverted
 * created-millis|user id}. A range scan from {@code prefix(platform)} lists a platform's users in
 * the order the list API answers.
 */
public final class PlatformIndex {

  private PlatformIndex() {}

  public static String key(String platformId, UserView view) {
    // 19 digits, zero-padded, so that the keys sort as the numbers do (no String.format: this
    // runs for every change of a view)
    String inverted = Long.toString(Long.MAX_VALUE - view.getCreated().toEpochMilli());
    return prefix(platformId) + "0".repeat(19 - inverted.length()) + inverted + "|" + view.getId();
  }

  public static String prefix(String platformId) {
    return platformId + "|";
  }

  /** The first key after every key with this prefix. */
  public static String end(String platformId) {
    return platformId + "}";
  }

  public static String userId(String indexKey) {
    return indexKey.substring(indexKey.lastIndexOf('|') + 1);
  }
}
