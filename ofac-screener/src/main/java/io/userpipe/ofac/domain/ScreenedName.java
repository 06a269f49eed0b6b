package io.userpipe.ofac.domain;

/**
 * One of the names the system holds for a person, as screened against the SDN list: the profile's,
 * or one a tax form gives (issue 18). The date of birth and country are what the same source says
 * about the person; they raise or lower a match as evidence, never decide it.
 *
 * @param source which name it is: {@link #PROFILE}, {@link #W9_INDIVIDUAL}, {@link #W9_BUSINESS},
 *     {@link #W8BEN} or {@link #W8BEN_SIGNATURE}; the evidence names the source, never the name
 * @param business a business name, screened against listed entities rather than individuals
 * @param familyName the family name, when the source gives it apart (the profile's last_name), or
 *     null: screening then knows that leaving it out is no mere omission (docs/OFAC.md, step 4)
 */
public record ScreenedName(
    String source,
    String name,
    boolean business,
    String dateOfBirth,
    String country,
    String familyName) {

  public ScreenedName(
      String source, String name, boolean business, String dateOfBirth, String country) {
    this(source, name, business, dateOfBirth, country, null);
  }

  /**
   * The name as the search takes it: {@code Family, Given} when the family name is known, as the
   * list writes people; else the name as written.
   */
  public String searchName() {
    if (familyName == null || familyName.isBlank() || !name.endsWith(" " + familyName)) {
      return name;
    }
    return familyName + ", " + name.substring(0, name.length() - familyName.length() - 1);
  }

  public static final String PROFILE = "profile";
  public static final String W9_INDIVIDUAL = "w9_individual";
  public static final String W9_BUSINESS = "w9_business";
  public static final String W8BEN = "w8ben";
  public static final String W8BEN_SIGNATURE = "w8ben_signature";
}
