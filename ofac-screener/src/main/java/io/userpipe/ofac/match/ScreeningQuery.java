package io.userpipe.ofac.match;

import io.userpipe.ofac.list.SdnType;

/**
 * What to screen.
 *
 * @param type only entries of this type, or null for all
 * @param birthDate {@code yyyy}, {@code yyyy-MM} or {@code yyyy-MM-dd}, or null
 * @param country an ISO code or a country name, or null
 */
public record ScreeningQuery(String name, SdnType type, String birthDate, String country) {

  public static ScreeningQuery person(String name, String birthDate, String country) {
    return new ScreeningQuery(name, SdnType.INDIVIDUAL, birthDate, country);
  }
}
