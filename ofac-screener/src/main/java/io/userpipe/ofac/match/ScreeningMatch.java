package io.userpipe.ofac.match;

import io.userpipe.ofac.list.SdnEntry;

/**
 * One listed entry that resembles the query.
 *
 * @param score the name score adjusted by date of birth and country, 0 to 1
 * @param nameScore the name score alone
 * @param matchedName the entry's name (primary or alias) that scored best
 * @param matchedKind {@code primary}, {@code aka}, {@code fka}, {@code nka} or {@code weak-aka}
 */
public record ScreeningMatch(
    SdnEntry entry, double score, double nameScore, String matchedName, String matchedKind) {}
