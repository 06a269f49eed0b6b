package io.userpipe.ofac.list;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One version of the SDN list.
 *
 * @param version the content hash of the files it was read from (the same files give the same
 *     version on every instance)
 * @param label a human label, such as the publication date, or the origin
 */
public record OfacList(String version, String label, List<SdnEntry> entries) {

  public OfacList {
    entries = List.copyOf(entries);
  }

  public Map<Integer, SdnEntry> byEntNum() {
    return entries.stream().collect(Collectors.toMap(SdnEntry::entNum, Function.identity()));
  }
}
