package io.userpipe.ofac.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Token ids found under a string key (a listed token with one letter deleted, a sound skeleton),
 * kept as a sorted array of 64-bit hashes of the keys and one array of ids: no object per key. As a
 * map of strings to id arrays the 157,500 deletion keys of the full list were 630,000 objects and
 * 18 MB of a stack's live heap, which G1 marked again on every concurrent cycle
 * (docs/BENCHMARKS.md, "What held the live heap"). Two keys with one hash (odds about 1 in
 * 10<sup>9</sup> for the whole list) only share their candidates, which are scored exactly
 * afterwards; no key is ever missed.
 */
final class HashedPostings {
  private final long[] keys;
  private final int[] starts;
  private final int[] ids;

  private HashedPostings(long[] keys, int[] starts, int[] ids) {
    this.keys = keys;
    this.starts = starts;
    this.ids = ids;
  }

  static HashedPostings of(Map<String, List<Integer>> postings) {
    List<Map.Entry<Long, List<Integer>>> byHash = new ArrayList<>(postings.size());
    int total = 0;
    for (var e : postings.entrySet()) {
      byHash.add(Map.entry(hash(e.getKey()), e.getValue()));
      total += e.getValue().size();
    }
    byHash.sort(Map.Entry.comparingByKey());
    long[] keys = new long[byHash.size()];
    int[] starts = new int[byHash.size() + 1];
    int[] ids = new int[total];
    int n = 0;
    int out = 0;
    for (var e : byHash) {
      if (n == 0 || keys[n - 1] != e.getKey()) {
        keys[n] = e.getKey();
        starts[n] = out;
        n++;
      }
      // a colliding key's ids join the first one's
      for (int id : e.getValue()) {
        ids[out++] = id;
      }
    }
    starts[n] = out;
    return new HashedPostings(Arrays.copyOf(keys, n), Arrays.copyOf(starts, n + 1), ids);
  }

  /** The position of {@code key}, or -1 when no listed key has its hash. */
  int find(String key) {
    int at = Arrays.binarySearch(keys, hash(key));
    return at < 0 ? -1 : at;
  }

  int start(int position) {
    return starts[position];
  }

  int end(int position) {
    return starts[position + 1];
  }

  int id(int at) {
    return ids[at];
  }

  int keys() {
    return keys.length;
  }

  /** FNV-1a over the characters, then MurmurHash3's 64-bit finalizer to spread the bits. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
