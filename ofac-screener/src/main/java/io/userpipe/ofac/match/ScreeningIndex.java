package io.userpipe.ofac.match;

import io.userpipe.ofac.list.AltName;
import io.userpipe.ofac.list.OfacList;
import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.list.SdnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory index of one list version for screening.
 *
 * <p>Candidate generation: every name's tokens go into an inverted index; a query token finds the
 * listed tokens it equals, those one deletion away on either side (a SymSpell neighbourhood: one
 * typo, insertion or transposition), and those with the same sound skeleton; adjacent query tokens
 * are also tried written together, and a long query token split in two. Each candidate name
 * accumulates the weighted similarity of its tokens found this way; the best {@value #CANDIDATES}
 * are then scored precisely by {@link NameScorer} and adjusted by {@link ProfileAgreement}.
 *
 * <p>Immutable once built and safe to share between threads.
 */
public final class ScreeningIndex {
  static final int CANDIDATES = 32;
  private static final double MIN_CANDIDATE_WEIGHT = 0.3;

  private final OfacList list;
  private final SdnEntry[] entries;
  private final List<String>[] entryCountries;
  private final int[] nameEntry;
  private final SdnType[] nameType;
  private final String[] nameText;
  private final String[] nameKind;
  private final PreparedName[] names;
  private final TokenWeights weights;
  private final Map<String, Integer> vocabIds;
  private final String[] vocab;
  private final String[] vocabSkeleton;
  private final int[] vocabLetters;
  private final float[] vocabWeight;
  private final int[][] postings;
  private final HashedPostings deletes;
  private final HashedPostings skeletons;
  private final ScratchPool<Scratch> scratch;

  /**
   * How many searches run at once, each with its own scratch (a few MB with the full list). A
   * search beyond that waits for a scratch to come back: the scratch is bounded by this, not by how
   * many threads search (64 HTTP threads each keeping one drove a 352 MiB heap into full GCs).
   * Searching is CPU-bound, so more at once than cores would not finish sooner.
   */
  static final int CONCURRENT_SEARCHES = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Working memory of one search: no allocation per candidate name or token. */
  private static final class Scratch {
    final float[] acc;
    final int[] tokenSeen;
    int epoch;
    int[] touched = new int[256];
    int[] tokens = new int[64];

    final NameScorer.Memo memo;

    Scratch(int names, int vocab) {
      acc = new float[names];
      tokenSeen = new int[vocab];
      memo = new NameScorer.Memo(vocab);
    }
  }

  @SuppressWarnings("unchecked")
  private ScreeningIndex(OfacList list) {
    this.list = list;
    this.entries = list.entries().toArray(SdnEntry[]::new);
    this.entryCountries = new List[entries.length];
    List<Integer> ne = new ArrayList<>();
    List<String> nt = new ArrayList<>();
    List<String> nk = new ArrayList<>();
    List<List<String>> tokens = new ArrayList<>();
    for (int e = 0; e < entries.length; e++) {
      SdnEntry entry = entries[e];
      entryCountries[e] = entry.countries().stream().map(Countries::key).distinct().toList();
      boolean person = entry.type() == SdnType.INDIVIDUAL;
      add(e, entry.name(), "primary", person, ne, nt, nk, tokens);
      for (AltName alt : entry.altNames()) {
        add(e, alt.name(), alt.kind(), person, ne, nt, nk, tokens);
      }
    }
    nameEntry = ne.stream().mapToInt(Integer::intValue).toArray();
    nameType = new SdnType[nameEntry.length];
    for (int n = 0; n < nameEntry.length; n++) {
      nameType[n] = entries[nameEntry[n]].type();
    }
    nameText = nt.toArray(String[]::new);
    nameKind = nk.toArray(String[]::new);

    vocabIds = new HashMap<>();
    List<String> v = new ArrayList<>();
    List<List<Integer>> post = new ArrayList<>();
    Map<String, Integer> df = new HashMap<>();
    for (int n = 0; n < tokens.size(); n++) {
      for (String t : tokens.get(n).stream().distinct().toList()) {
        Integer id = vocabIds.get(t);
        if (id == null) {
          id = v.size();
          vocabIds.put(t, id);
          v.add(t);
          post.add(new ArrayList<>(2));
        }
        post.get(id).add(n);
        df.merge(t, 1, Integer::sum);
      }
    }
    weights = new TokenWeights(df, tokens.size());
    vocab = v.toArray(String[]::new);
    vocabSkeleton = new String[vocab.length];
    vocabLetters = new int[vocab.length];
    vocabWeight = new float[vocab.length];
    postings = new int[vocab.length][];
    Map<String, List<Integer>> del = new HashMap<>();
    Map<String, List<Integer>> skel = new HashMap<>();
    for (int id = 0; id < vocab.length; id++) {
      String t = vocab[id];
      vocabSkeleton[id] = Similarity.skeleton(t);
      vocabLetters[id] = Similarity.letters(t);
      vocabWeight[id] = weights.weight(t);
      postings[id] = post.get(id).stream().mapToInt(Integer::intValue).toArray();
      if (t.length() >= 4) {
        for (int i = 0; i < t.length(); i++) {
          String d = t.substring(0, i) + t.substring(i + 1);
          del.computeIfAbsent(d, k -> new ArrayList<>(1)).add(id);
        }
      }
      if (vocabSkeleton[id].length() >= 3) {
        skel.computeIfAbsent(vocabSkeleton[id], k -> new ArrayList<>(1)).add(id);
      }
    }
    deletes = HashedPostings.of(del);
    skeletons = HashedPostings.of(skel);
    names = new PreparedName[tokens.size()];
    for (int n = 0; n < names.length; n++) {
      names[n] =
          PreparedName.of(tokens.get(n), weights, NameNormalizer.familyTokens(nameText[n]))
              .withIds(vocabIds, vocab, vocabSkeleton);
    }
    int count = names.length;
    int vocabSize = vocab.length;
    scratch = new ScratchPool<>(CONCURRENT_SEARCHES, () -> new Scratch(count, vocabSize));
  }

  public static ScreeningIndex build(OfacList list) {
    return new ScreeningIndex(list);
  }

  public OfacList list() {
    return list;
  }

  public String version() {
    return list.version();
  }

  public int nameCount() {
    return names.length;
  }

  public int entryCount() {
    return entries.length;
  }

  /** The weights this index's list gives tokens, for scoring names outside the index. */
  public TokenWeights weights() {
    return weights;
  }

  public PreparedName prepare(String name) {
    return PreparedName.query(name, weights);
  }

  /**
   * A name to compare with listed names of {@code type}: a person's name ({@link
   * SdnType#INDIVIDUAL}) keeps the words that are legal forms in a company's, as the index keeps
   * them in listed people's names.
   */
  public PreparedName prepare(String name, SdnType type) {
    return PreparedName.query(name, weights, type == SdnType.INDIVIDUAL);
  }

  /**
   * How a listed name's tokens met a query name's in the pairing that gave their name score ({@link
   * ScreeningMatch#nameScore()} for a match of {@link #search}): for the few matches kept as
   * evidence, after the search, so searching costs nothing more.
   */
  public NameExplanation explain(String queryName, String listedName) {
    return explain(queryName, listedName, null);
  }

  /** The same, for a listed name of {@code type} (null: any), as {@link #search} compares them. */
  public NameExplanation explain(String queryName, String listedName, SdnType type) {
    return NameExplanation.of(prepare(queryName, type), prepare(listedName, type));
  }

  /**
   * Entries scoring at least {@code minMatch}, best first, one per entry, at most {@code limit}.
   */
  public List<ScreeningMatch> search(ScreeningQuery query, double minMatch, int limit) {
    PreparedName q = prepare(query.name(), query.type());
    if (q.size() == 0) {
      return List.of();
    }
    Scratch work = scratch.borrow();
    try {
      return search(work, q, query, minMatch, limit);
    } finally {
      scratch.giveBack(work);
    }
  }

  /** Scratch instances made so far: never more than {@link #CONCURRENT_SEARCHES}. */
  int scratchCreated() {
    return scratch.created();
  }

  private List<ScreeningMatch> search(
      Scratch work, PreparedName q, ScreeningQuery query, double minMatch, int limit) {
    work.memo.reset();
    float[] acc = work.acc;
    int touchedCount = 0;
    boolean anyHeavy = false;
    for (float w : q.weights()) {
      anyHeavy |= w >= MIN_CANDIDATE_WEIGHT;
    }
    List<String> units = units(q, anyHeavy);
    for (String unit : units) {
      String unitSkeleton = Similarity.skeleton(unit);
      int unitLetters = Similarity.letters(unit);
      int found = candidateTokens(work, unit, unitSkeleton);
      for (int c = 0; c < found; c++) {
        int id = work.tokens[c];
        double s =
            NameScorer.tokenSimilarity(
                unit, vocab[id], unitSkeleton, vocabSkeleton[id], unitLetters, vocabLetters[id]);
        if (s <= 0) {
          continue;
        }
        float add = (float) (s * vocabWeight[id]);
        for (int n : postings[id]) {
          if (query.type() != null && nameType[n] != query.type()) {
            continue;
          }
          if (acc[n] == 0f) {
            if (touchedCount == work.touched.length) {
              work.touched = Arrays.copyOf(work.touched, touchedCount * 2);
            }
            work.touched[touchedCount++] = n;
          }
          acc[n] += add;
        }
      }
    }
    // Rank by the evidence found plus the share of the listed name it covers: among the many
    // names sharing a common token, the ones that are little more than that token come first.
    for (int i = 0; i < touchedCount; i++) {
      int n = work.touched[i];
      acc[n] += acc[n] / Math.max(names[n].total(), 0.1f);
    }
    int[] best = top(acc, work.touched, touchedCount, CANDIDATES);
    for (int i = 0; i < touchedCount; i++) {
      acc[work.touched[i]] = 0f;
    }
    Map<Integer, ScreeningMatch> byEntry = new HashMap<>();
    for (int n : best) {
      double nameScore = NameScorer.score(q, names[n], work.memo);
      int e = nameEntry[n];
      double score =
          Math.max(
              0.0,
              Math.min(
                  1.0,
                  nameScore + ProfileAgreement.adjustment(query, entries[e], entryCountries[e])));
      if (score < minMatch) {
        continue;
      }
      ScreeningMatch m = new ScreeningMatch(entries[e], score, nameScore, nameText[n], nameKind[n]);
      byEntry.merge(e, m, (a, b) -> a.score() >= b.score() ? a : b);
    }
    return byEntry.values().stream()
        .sorted(
            Comparator.comparingDouble(ScreeningMatch::score)
                .reversed()
                .thenComparingInt(m -> m.entry().entNum()))
        .limit(limit)
        .toList();
  }

  private List<String> units(PreparedName q, boolean anyHeavy) {
    List<String> units = new ArrayList<>();
    String[] t = q.tokens();
    for (int i = 0; i < t.length; i++) {
      if (!anyHeavy || q.weights()[i] >= MIN_CANDIDATE_WEIGHT) {
        units.add(t[i]);
      }
      if (i + 1 < t.length) {
        String joined = t[i] + t[i + 1];
        if (vocabIds.containsKey(joined) || deletes.find(joined) >= 0) {
          units.add(joined);
        }
      }
      if (t[i].length() >= 6 && !vocabIds.containsKey(t[i])) {
        for (int cut = 2; cut <= t[i].length() - 2; cut++) {
          String a = t[i].substring(0, cut);
          String b = t[i].substring(cut);
          if (vocabIds.containsKey(a) && vocabIds.containsKey(b)) {
            units.add(a);
            units.add(b);
            break;
          }
        }
      }
    }
    return units;
  }

  /** Listed tokens a query token may be, into {@code work.tokens}; returns how many. */
  private int candidateTokens(Scratch work, String t, String skeleton) {
    int epoch = ++work.epoch;
    if (epoch == Integer.MAX_VALUE) {
      Arrays.fill(work.tokenSeen, 0);
      work.epoch = epoch = 1;
    }
    int n = 0;
    Integer exact = vocabIds.get(t);
    if (exact != null) {
      n = add(work, n, exact, epoch);
    }
    if (t.length() >= 3) {
      n = addAll(work, n, deletes, deletes.find(t), epoch);
    }
    if (t.length() >= 4) {
      for (int i = 0; i < t.length(); i++) {
        String d = t.substring(0, i) + t.substring(i + 1);
        Integer id = vocabIds.get(d);
        if (id != null) {
          n = add(work, n, id, epoch);
        }
        n = addAll(work, n, deletes, deletes.find(d), epoch);
      }
    }
    if (skeleton.length() >= 3) {
      n = addAll(work, n, skeletons, skeletons.find(skeleton), epoch);
    }
    return n;
  }

  private static int add(Scratch work, int n, int id, int epoch) {
    if (work.tokenSeen[id] == epoch) {
      return n;
    }
    work.tokenSeen[id] = epoch;
    if (n == work.tokens.length) {
      work.tokens = Arrays.copyOf(work.tokens, n * 2);
    }
    work.tokens[n] = id;
    return n + 1;
  }

  private static int addAll(Scratch work, int n, HashedPostings postings, int at, int epoch) {
    if (at >= 0) {
      for (int i = postings.start(at); i < postings.end(at); i++) {
        n = add(work, n, postings.id(i), epoch);
      }
    }
    return n;
  }

  /** The {@code k} touched names of highest accumulated weight, by a bounded min-heap. */
  private static int[] top(float[] acc, int[] touched, int count, int k) {
    if (count <= k) {
      return Arrays.copyOf(touched, count);
    }
    int[] heap = new int[k];
    int size = 0;
    for (int i = 0; i < count; i++) {
      int n = touched[i];
      if (size < k) {
        heap[size] = n;
        int c = size++;
        while (c > 0 && acc[heap[(c - 1) / 2]] > acc[heap[c]]) {
          int p = (c - 1) / 2;
          int tmp = heap[p];
          heap[p] = heap[c];
          heap[c] = tmp;
          c = p;
        }
      } else if (acc[n] > acc[heap[0]]) {
        heap[0] = n;
        int c = 0;
        while (true) {
          int l = 2 * c + 1;
          int r = l + 1;
          int m = c;
          if (l < k && acc[heap[l]] < acc[heap[m]]) {
            m = l;
          }
          if (r < k && acc[heap[r]] < acc[heap[m]]) {
            m = r;
          }
          if (m == c) {
            break;
          }
          int tmp = heap[m];
          heap[m] = heap[c];
          heap[c] = tmp;
          c = m;
        }
      }
    }
    return heap;
  }

  private static void add(
      int entry,
      String name,
      String kind,
      boolean person,
      List<Integer> ne,
      List<String> nt,
      List<String> nk,
      List<List<String>> tokens) {
    List<String> t = person ? NameNormalizer.personTokens(name) : NameNormalizer.tokens(name);
    if (t.isEmpty()) {
      return;
    }
    ne.add(entry);
    nt.add(name);
    nk.add(kind);
    tokens.add(t);
  }

  /** Entries of a type, for tests and tools. */
  public long count(SdnType type) {
    return Arrays.stream(entries).filter(e -> e.type() == type).count();
  }
}
