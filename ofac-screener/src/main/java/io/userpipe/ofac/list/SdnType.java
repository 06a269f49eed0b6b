package io.userpipe.ofac.list;

/** The kind of an SDN entry; OFAC writes {@code -0- } (empty) for companies and organisations. */
public enum SdnType {
  INDIVIDUAL,
  ENTITY,
  VESSEL,
  AIRCRAFT;

  static SdnType parse(String raw) {
    if (raw == null) {
      return ENTITY;
    }
    switch (raw.toLowerCase(java.util.Locale.ROOT)) {
      case "individual":
        return INDIVIDUAL;
      case "vessel":
        return VESSEL;
      case "aircraft":
        return AIRCRAFT;
      default:
        throw new IllegalArgumentException("unknown SDN_Type '" + raw + "'");
    }
  }

  /** The lower-case name used in APIs and events. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
