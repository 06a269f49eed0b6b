# Sourced by bin/run-local and bin/lib/start-stack.sh (bin/load, bin/soak): how the whole local
# stack's one JVM runs (the figures behind each setting: docs/BENCHMARKS.md, "Memory").
# - a 352 MiB heap: the live heap under load is 180-210 MiB;
# - direct buffers cached per thread for socket I/O capped at 256 KiB (unbounded by default, they
#   held 43 MiB);
# - two glibc malloc arenas instead of one per core and busy thread: RocksDB's native allocations
#   then leave less fragmented memory behind.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
STACK_JVM=(java -Xmx352m -Djdk.nio.maxCachedBufferSize=262144)
