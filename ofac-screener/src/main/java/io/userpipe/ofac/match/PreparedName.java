package io.userpipe.ofac.match;

import java.util.List;

/** A name's tokens with their weights and sound skeletons, computed once. */
public record PreparedName(
    String[] tokens, float[] weights, float[] unmatchedWeights, String[] skeletons, float total) {

  public static PreparedName of(List<String> all, TokenWeights weights) {
    List<String> tokens = all.stream().distinct().toList();
    int n = Math.min(tokens.size(), 16);
    String[] t = new String[n];
    float[] w = new float[n];
    float[] u = new float[n];
    String[] s = new String[n];
    float total = 0;
    for (int i = 0; i < n; i++) {
      t[i] = tokens.get(i);
      w[i] = weights.weight(t[i]);
      u[i] = weights.unmatchedWeight(t[i]);
      s[i] = Similarity.skeleton(t[i]);
      total += w[i];
    }
    return new PreparedName(t, w, u, s, total);
  }

  public int size() {
    return tokens.length;
  }
}
