package io.userpipe.ofac.list;

import java.util.List;

/**
 * One entry of the SDN list with everything screening uses.
 *
 * @param birthDates dates of birth as written in the Remarks, normalized to {@code yyyy}, {@code
 *     yyyy-MM} or {@code yyyy-MM-dd}; a range {@code 1958 to 1960} gives each year
 * @param countries ISO-less country names from nationality, citizenship and addresses
 */
public record SdnEntry(
    int entNum,
    String name,
    SdnType type,
    List<String> programs,
    String title,
    String remarks,
    List<AltName> altNames,
    List<SdnAddress> addresses,
    List<String> birthDates,
    List<String> birthPlaces,
    List<String> nationalities) {

  public SdnEntry {
    programs = List.copyOf(programs);
    altNames = List.copyOf(altNames);
    addresses = List.copyOf(addresses);
    birthDates = List.copyOf(birthDates);
    birthPlaces = List.copyOf(birthPlaces);
    nationalities = List.copyOf(nationalities);
  }

  /** Countries tied to the entry: nationalities, citizenships, places of birth, addresses. */
  public List<String> countries() {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(nationalities);
    for (SdnAddress a : addresses) {
      if (a.country() != null) {
        out.add(a.country());
      }
    }
    for (String pob : birthPlaces) {
      int comma = pob.lastIndexOf(',');
      out.add((comma < 0 ? pob : pob.substring(comma + 1)).trim());
    }
    return List.copyOf(out);
  }
}
