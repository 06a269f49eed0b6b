package io.userpipe.ofac.list;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OFAC's legacy CSV: no header, double-quoted text fields that may hold commas and line
 * breaks, CRLF or LF line ends, a DOS end-of-file byte (0x1A) at the end, and {@code -0- } for an
 * empty value (returned as null).
 */
final class OfacCsv {
  private static final char EOF_MARK = 0x1A;

  /** One record with the line it started on. */
  record Row(long line, String[] fields) {
    String get(int i) {
      return fields[i];
    }
  }

  private final String file;
  private final Reader in;
  private final int columns;
  private long line = 1;
  private int pushedBack = -2;

  OfacCsv(String file, Reader in, int columns) {
    this.file = file;
    this.in = in;
    this.columns = columns;
  }

  /** All rows; the first malformed one fails the whole file. */
  List<Row> readAll() throws IOException, MalformedListException {
    List<Row> rows = new ArrayList<>();
    Row row;
    while ((row = next()) != null) {
      rows.add(row);
    }
    return rows;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    return in.read();
  }

  Row next() throws IOException, MalformedListException {
    int c = read();
    while (c == '\r' || c == '\n' || c == EOF_MARK) {
      if (c == '\n') {
        line++;
      }
      c = read();
    }
    if (c == -1) {
      return null;
    }
    long start = line;
    List<String> fields = new ArrayList<>(columns);
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new MalformedListException(file, start, "a quoted field is never closed");
        }
        if (c == '"') {
          int n = read();
          if (n == '"') {
            field.append('"');
          } else {
            quoted = false;
            c = n;
            continue;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
        c = read();
        continue;
      }
      if (c == '"' && field.isEmpty() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(value(field, wasQuoted));
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\r' || c == '\n' || c == -1 || c == EOF_MARK) {
        fields.add(value(field, wasQuoted));
        if (c == '\n') {
          line++;
        } else if (c == '\r') {
          int n = read();
          if (n == '\n') {
            line++;
          } else {
            pushedBack = n;
          }
        }
        break;
      } else if (wasQuoted) {
        throw new MalformedListException(
            file, start, "text after the closing quote of field " + (fields.size() + 1));
      } else {
        field.append((char) c);
      }
      c = read();
    }
    if (fields.size() != columns) {
      throw new MalformedListException(
          file, start, "expected " + columns + " fields, found " + fields.size());
    }
    return new Row(start, fields.toArray(String[]::new));
  }

  private static String value(StringBuilder field, boolean quoted) {
    String v = field.toString();
    if (!quoted && v.trim().equals("-0-")) {
      return null;
    }
    v = v.trim();
    return v.isEmpty() ? null : v;
  }
}
