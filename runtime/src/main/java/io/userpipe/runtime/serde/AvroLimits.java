package io.userpipe.runtime.serde;

/**
 * Bounds on what Avro decoding may allocate, so a few hostile bytes cannot declare a string, a byte
 * array or a map of billions of items (Avro's defaults are close to {@code Integer.MAX_VALUE}). A
 * record over a limit fails to decode with {@code SystemLimitException} naming the limit and its
 * property, and is dead-lettered like any other unreadable record.
 *
 * <p>Avro reads the properties once, when its limits class loads, so they are set before the first
 * decode; an operator's own {@code -D} setting wins. No record of ours comes near them: Kafka's
 * default record size is 1 MB, the largest collection (a list version's files) has a few items, and
 * the largest field (a gzip chunk of the OFAC list) stays under Kafka's record limit.
 */
public final class AvroLimits {

  /** A string or byte field: no larger than a whole Kafka record (1 MiB). */
  static final long MAX_FIELD_BYTES = 1 << 20;

  /** Items in one array or map: far above any record's, far below an out-of-memory. */
  static final long MAX_COLLECTION_ITEMS = 100_000;

  private AvroLimits() {}

  /** Sets the limits unless set already; call before anything decodes Avro (idempotent). */
  public static void apply() {
    setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_FIELD_BYTES);
    setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_FIELD_BYTES);
    setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
  }

  private static void setIfAbsent(String property, long value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Long.toString(value));
    }
  }
}
