#!/usr/bin/env bash
# Dedup over a week of an application's changes: seven "days" on a pgbench database whose rows hold random text
# (each day 5 % rows appended, 1,000 recent rows updated, the oldest 0.5 % purged), dumped each day by (a) plain
# pg_dump -Fd, (b) PgSnapMan without dedup, (c) whole-file dedup of (a), (d) PgSnapMan with dedup, side by side.
# Prints bytes stored after the week, median dump times, the restore time of the last day from (a) and (d), the
# chunk count, other chunk sizes on the same data, and what a second database with the same data adds.
# Usage: bench/dedup.sh [scale] [days] [jobs] [worst-case]   (defaults: 20 7 2 false)
#   worst-case=true purges 0.5 % of rows at random places instead of the oldest (every chunk of the table changes).
# Targets: (d) stores <= 1.6 x one plain dump after seven days; (d) dumps in <= 1.0 x the time of (a);
# restore from (d) in <= 1.1 x restore from (a).
set -euo pipefail
exec "$(dirname "$0")/run-bench.sh" DedupBench \
  -Dbench.scale="${1:-20}" -Dbench.days="${2:-7}" -Dbench.jobs="${3:-2}" -Dbench.worstCase="${4:-false}"
