package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.SharedKafka;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {

  @Test
  void everyServiceGetsTheSetterAndTheBudgetFromTheAppConfig() {
    var props =
        StreamsService.properties(
            "svc", SharedKafka.config().with(AppConfig.ROCKSDB_MEMORY_MB, "48"), Map.of());

    assertEquals(
        BoundedRocksDbMemory.class, props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    assertEquals(48L << 20, props.get(BoundedRocksDbMemory.TOTAL_BYTES));
  }

  @Test
  void aStoreGetsSmallMemtablesChargedToTheSharedCache() {
    RocksDB.loadLibrary();
    try (var options = new Options()) {
      options.setTableFormatConfig(new BlockBasedTableConfig());

      new BoundedRocksDbMemory()
          .setConfig("store", options, Map.of(BoundedRocksDbMemory.TOTAL_BYTES, 32L << 20));

      assertEquals(4L << 20, options.writeBufferSize());
      assertEquals(2, options.maxWriteBufferNumber());
      var table = (BlockBasedTableConfig) options.tableFormatConfig();
      assertTrue(table.cacheIndexAndFilterBlocks(), "index and filters outside the cache");
      assertEquals(16L << 10, table.blockSize());
      assertTrue(BoundedRocksDbMemory.budgetBytes() > 0, "no shared budget");
    }
  }
}
