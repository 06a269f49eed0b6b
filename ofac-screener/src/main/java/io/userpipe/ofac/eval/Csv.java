package io.userpipe.ofac.eval;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
public final class Csv {
  private Csv() {}

  /** All records, the header included; a reader that supports mark (buffered). */
  public static List<List<String>> parse(Reader in) throws IOException {
    List<List<String>> out = new ArrayList<>();
    List<String> rec = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    int c;
    boolean any = false;
    while ((c = in.read()) != -1) {
      any = true;
      if (quoted) {
        if (c == '"') {
          in.mark(1);
          int n = in.read();
          if (n == '"') {
            f.append('"');
          } else {
            quoted = false;
            if (n == -1) {
              break;
            }
            in.reset();
          }
        } else {
          f.append((char) c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        rec.add(f.toString());
        f.setLength(0);
      } else if (c == '\n') {
        rec.add(f.toString());
        f.setLength(0);
        out.add(rec);
        rec = new ArrayList<>();
        any = false;
      } else if (c != '\r') {
        f.append((char) c);
      }
    }
    if (any || f.length() > 0 || !rec.isEmpty()) {
      rec.add(f.toString());
      out.add(rec);
    }
    return out;
  }
}
