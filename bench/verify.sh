#!/usr/bin/env bash
# Verification by test restore against a plain pg_restore of the same dump: a pgbench database dumped once by
# PgSnapMan (dedup), then in rounds on one verification server (a) createdb + pg_restore -j of the dump's
# files and (b) a test restore asked for through the catalog API (load through pipes, every table counted and
# hashed, scratch database dropped). Also prints what the content checksum adds to the dump's exact counts.
# (c) is (a) reading the dump through the repository's named pipes, to tell the load's cost from the comparison's.
# Each round runs the three in another order, each after a CHECKPOINT, so none pays for what another wrote.
# Usage: bench/verify.sh [scale] [jobs] [rounds]   (defaults: 100 2 5; about 10 minutes)
# Target: (b) <= 1.15 x (a), medians. Small databases do worse: a test restore also has a fixed part (inspect, create,
# drop: a quarter to half a second), 1.21-1.22 x at scale 20; see ADR 14.
set -euo pipefail
exec "$(dirname "$0")/run-bench.sh" VerifyBench \
  -Dbench.scale="${1:-100}" -Dbench.jobs="${2:-2}" -Dbench.rounds="${3:-5}"
