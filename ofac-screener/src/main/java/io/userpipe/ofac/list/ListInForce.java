package io.userpipe.ofac.list;

import java.time.Instant;

/**
 * The list version a screener screens with now, as its freshness needs it.
 *
 * @param version the content hash of its files
 * @param label where it came from: a date, a path or a URL
 * @param publishedAt when it was published on {@code ofac.lists}: the first time this version came
 *     into force on this instance's reading of the topic
 */
public record ListInForce(String version, String label, Instant publishedAt) {}
