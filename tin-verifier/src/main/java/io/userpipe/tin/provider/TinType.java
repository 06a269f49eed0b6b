package io.userpipe.tin.provider;

/** The kinds of TIN a provider is asked about; UNKNOWN lets the IRS say which one matched. */
public enum TinType {
  SSN,
  EIN,
  ITIN,
  UNKNOWN
}
