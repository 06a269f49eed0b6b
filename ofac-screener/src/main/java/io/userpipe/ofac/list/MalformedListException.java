package io.userpipe.ofac.list;

/** A list file that cannot be used: names the file, the line and the reason. */
public final class MalformedListException extends Exception {
  private final String file;
  private final long line;

  public MalformedListException(String file, long line, String reason) {
    super(file + " line " + line + ": " + reason);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  public long line() {
    return line;
  }
}
