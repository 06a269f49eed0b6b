package io.userpipe.runtime.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store in this JVM: one LRU block cache shared by all
 * stores of all services, with the memtables charged to it through one write-buffer manager, as the
 * Kafka Streams memory-management guide recommends. Without it each of the hundred-odd store
 * instances of the local stack (stores × partitions, window segments included) would keep its own
 * 50 MB cache and three 16 MB memtables.
 *
 * <p>The budget is read once, from the first store that opens, under {@link #TOTAL_BYTES}; every
 * service of one JVM gets the same value from {@code ROCKSDB_MEMORY_MB}.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /** Streams config key carrying the budget in bytes (block cache and memtables together). */
  public static final String TOTAL_BYTES = "userpipe.rocksdb.memory.bytes";

  /** Share of the budget the memtables may take; the rest holds data, index and filter blocks. */
  static final double MEMTABLE_SHARE = 0.5;

  /** Share of the cache kept for index and filter blocks, so data blocks cannot evict them. */
  private static final double INDEX_AND_FILTER_SHARE = 0.1;

  private static final long MEMTABLE_BYTES = 4L << 20;
  private static final int MEMTABLES = 2;
  private static final long BLOCK_BYTES = 16L << 10;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static long budget;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    long total = Long.parseLong(String.valueOf(configs.get(TOTAL_BYTES)));
    var table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(sharedCache(total));
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    table.setBlockSize(BLOCK_BYTES);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBufferManager);
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(MEMTABLES);
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and the manager are shared by every store of the JVM: they live as long as it does
  }

  /** The budget in force in this JVM, or 0 before the first store opened. */
  public static synchronized long budgetBytes() {
    return budget;
  }

  private static synchronized Cache sharedCache(long total) {
    if (cache == null) {
      budget = total;
      cache = new LRUCache(total, -1, false, INDEX_AND_FILTER_SHARE);
      writeBufferManager = new WriteBufferManager((long) (total * MEMTABLE_SHARE), cache);
    }
    return cache;
  }
}
