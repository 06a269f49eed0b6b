package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  @Test
  void theJvmsHeapCollectionsAndThreadsAreScrapedWithoutAnyKafkaSource() {
    String text = new String(new MetricsEndpoint().render(), StandardCharsets.UTF_8);

    assertTrue(matches(text, "jvm_memory_used_bytes\\{area=\"heap\"} \\d"), text);
    assertTrue(matches(text, "jvm_memory_max_bytes\\{area=\"heap\"} \\d"), text);
    assertTrue(matches(text, "jvm_threads_live \\d"), text);
    assertTrue(matches(text, "process_uptime_seconds \\d"), text);
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      String name = Pattern.quote(gc.getName());
      assertTrue(matches(text, "jvm_gc_collections_total\\{gc=\"" + name + "\"} \\d"), text);
      assertTrue(matches(text, "jvm_gc_collection_seconds_total\\{gc=\"" + name + "\"} \\d"), text);
    }
    assertTrue(text.contains("# TYPE jvm_gc_collections_total counter\n"), text);
  }

  private static boolean matches(String text, String line) {
    return Pattern.compile("(?m)^" + line).matcher(text).find();
  }
}
