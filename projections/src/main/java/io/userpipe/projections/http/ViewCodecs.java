package io.userpipe.projections.http;

import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.serde.AvroLimits;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.UserKey;
import io.userpipe.schemas.UserView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;

/**
 * How a view entry travels between instances: Avro single-object encoding (the schema's
 * fingerprint, then the binary), so an instance of another version fails loudly, not silently.
 */
final class ViewCodecs {
  static {
    AvroLimits.apply(); // it decodes Avro itself: the limits hold before its first decode
  }

  private record Codec(BinaryMessageEncoder<?> encoder, BinaryMessageDecoder<?> decoder) {}

  private static final Map<String, Codec> CODECS =
      Map.of(
          ProjectionsTopology.USERS_BY_ID, new Codec(UserView.getEncoder(), UserView.getDecoder()),
          ProjectionsTopology.COMMAND_STATUSES,
              new Codec(CommandResult.getEncoder(), CommandResult.getDecoder()),
          ProjectionsTopology.USER_KEYS, new Codec(UserKey.getEncoder(), UserKey.getDecoder()),
          ProjectionsTopology.OFAC_STATUSES,
              new Codec(OfacStatusChanged.getEncoder(), OfacStatusChanged.getDecoder()),
          ProjectionsTopology.COMPLIANCE_HISTORY,
              new Codec(ComplianceHistory.getEncoder(), ComplianceHistory.getDecoder()));

  private ViewCodecs() {}

  static boolean servable(String store) {
    return CODECS.containsKey(store);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static byte[] encode(String store, Object value) {
    try {
      ByteBuffer b =
          ((BinaryMessageEncoder) CODECS.get(store).encoder()).encode((SpecificRecord) value);
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static <V> V decode(String store, byte[] bytes) {
    try {
      return (V) CODECS.get(store).decoder().decode(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
