#!/usr/bin/env bash
# Memory flat in dump size: one table of N GB (default 2) dumped with dedup by a dump-worker process at -Xmx256m,
# then restored (piped from the chunks) by a restore-worker process at -Xmx256m. Prints outcomes, times, each
# worker JVM's peak resident memory, and the peak bytes in staging and scratch.
# Usage: bench/dedup-memory.sh [gigabytes]   (needs the boot jars: the build below packages them)
set -euo pipefail
exec "$(dirname "$0")/run-bench.sh" MemoryBench -Dbench.gigabytes="${1:-2}"
