package io.userpipe.runtime.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12.2 refuses to instantiate generated classes from packages it was not told to trust. Our
 * contracts' package is added to whatever is trusted already, once, so no JVM flag ({@code
 * org.apache.avro.SERIALIZABLE_PACKAGES}) is needed. The decoding limits are set here too ({@link
 * AvroLimits}), for the same reason: once, before the first decode.
 */
final class TrustedPackages {

  static final String CONTRACTS = "io.userpipe.schemas.";
  private static boolean done;

  private TrustedPackages() {}

  static synchronized void trust() {
    if (done) {
      return;
    }
    AvroLimits.apply(); // before the first decode: Avro reads its limits once
    ClassSecurityPredicate contracts = type -> type.getName().startsWith(CONTRACTS);
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), contracts));
    done = true;
  }
}
