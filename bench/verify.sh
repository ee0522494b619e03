#!/usr/bin/env bash
# Verification by test restore against a plain pg_restore of the same dump: a pgbench database dumped once by
# PgSnapMan (dedup), then in alternating rounds on one verification server (a) createdb + pg_restore -j of the dump's
# files and (b) a test restore asked for through the catalog API (load through pipes, every table counted and
# hashed, scratch database dropped). Also prints what the content checksum adds to the dump's exact counts.
# (c) is (a) reading the dump through the repository's named pipes, to tell the load's cost from the comparison's.
# Usage: bench/verify.sh [scale] [jobs] [rounds]   (defaults: 20 2 5)
# Target: (b) <= 1.15 x (a), medians.
set -euo pipefail
exec "$(dirname "$0")/run-bench.sh" VerifyBench \
  -Dbench.scale="${1:-20}" -Dbench.jobs="${2:-2}" -Dbench.rounds="${3:-5}"
