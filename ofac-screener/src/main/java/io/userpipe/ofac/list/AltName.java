package io.userpipe.ofac.list;

/**
 * Another name of an SDN entry.
 *
 * @param kind {@code aka}, {@code fka}, {@code nka}, or {@code weak-aka} for an a.k.a. written only
 *     inside the entry's Remarks
 */
public record AltName(int altNum, String kind, String name) {

  public boolean weak() {
    return kind.startsWith("weak");
  }
}
