package io.userpipe.ofac.list;

/** One address row of {@code add.csv}; any part may be null. */
public record SdnAddress(int addNum, String address, String cityStateProvince, String country) {}
