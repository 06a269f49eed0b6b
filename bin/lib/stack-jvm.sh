# Sourced by bin/run-local and bin/lib/start-stack.sh (bin/load, bin/soak): how the whole local
# stack's one JVM runs. Its options live in stack-jvm.options beside this file (the tests that
# start the stack read them too); the figures behind each setting: docs/BENCHMARKS.md, "Memory".
# Two glibc malloc arenas instead of one per core and busy thread: RocksDB's native allocations
# then leave less fragmented memory behind.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
STACK_JVM=(java "@$(dirname "${BASH_SOURCE[0]}")/stack-jvm.options")
