#!/usr/bin/env bash
# Dump overhead of PgSnapMan against a plain pg_dump -Fd at the same -j, on a pgbench database.
# Usage: bench/dump-overhead.sh [scale] [rounds] [jobs] [exact-row-counts]   (defaults: 20 3 2 true)
# Starts its own PostgreSQL servers, Kafka broker and schema registry (no Docker), builds what it needs,
# alternates the two kinds of dump, and prints the medians and their ratio. Target: ratio <= 1.10.
set -euo pipefail
exec "$(dirname "$0")/run-bench.sh" DumpOverheadBench \
  -Dbench.scale="${1:-20}" -Dbench.rounds="${2:-3}" -Dbench.jobs="${3:-2}" -Dbench.exactRowCounts="${4:-true}"
