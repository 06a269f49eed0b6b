package io.userpipe.ofac.domain;

/**
 * One of the names the system holds for a person, as screened against the SDN list: the profile's,
 * or one a tax form gives (issue 18). The date of birth and country are what the same source says
 * about the person; they raise or lower a match as evidence, never decide it.
 *
 * @param source which name it is: {@link #PROFILE}, {@link #W9_INDIVIDUAL}, {@link #W9_BUSINESS},
 *     {@link #W8BEN} or {@link #W8BEN_SIGNATURE}; the evidence names the source, never the name
 * @param business a business name, screened against listed entities rather than individuals
 */
public record ScreenedName(
    String source, String name, boolean business, String dateOfBirth, String country) {
  public static final String PROFILE = "profile";
  public static final String W9_INDIVIDUAL = "w9_individual";
  public static final String W9_BUSINESS = "w9_business";
  public static final String W8BEN = "w8ben";
  public static final String W8BEN_SIGNATURE = "w8ben_signature";
}
