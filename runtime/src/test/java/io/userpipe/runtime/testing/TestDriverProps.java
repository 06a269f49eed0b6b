package io.userpipe.runtime.testing;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The configuration of a TopologyTestDriver: an application id, no broker, a fresh state dir. */
public final class TestDriverProps {

  private TestDriverProps() {}

  public static Properties of(String applicationId) {
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, SharedKafka.tempDir("ttd").toString());
    return props;
  }
}
