#!/usr/bin/env bash
# Copying one pgbench database to three target servers, side by side in one run:
#   PgSnapMan: dump now -> one verified dump -> fan-out -> three restores at once (until the third outcome);
#   three sequential `pg_dump -Fc | pg_restore` copies;
#   one `pgcopydb clone` (Debian package pgcopydb, installed here if missing and we are root);
#   the same work bare: one `pg_dump -Fd -j`, then three `pg_restore -j` of it at once;
#   PgSnapMan to one target only.
# Usage: bench/fanout.sh [scale] [rounds] [jobs] [compression]   (defaults: 20 3 2, pg_dump's default compression)
# Prints medians of wall time and of the machine's CPU time, and ratios. Target: fan-out to three <= 1.5 x one
# plain copy. All target servers run on this machine: a dump and three restores cannot take less wall time than
# their CPU time divided by its cores, which the last line prints against that target.
set -euo pipefail
if ! command -v pgcopydb >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing pgcopydb"
    apt-get install -y -q pgcopydb >/dev/null
  else
    echo "pgcopydb is not installed (Debian: apt-get install pgcopydb)" >&2
    exit 2
  fi
fi
exec "$(dirname "$0")/run-bench.sh" FanOutBench \
  -Dbench.scale="${1:-20}" -Dbench.rounds="${2:-3}" -Dbench.jobs="${3:-2}" -Dbench.compression="${4:-}"
