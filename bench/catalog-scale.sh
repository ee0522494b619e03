#!/usr/bin/env bash
# The catalog at fleet scale: N jobs (default 10000) x M daily dumps (default 100) in the catalog, in steady state
# (each pass expires one dump per job). Prints a retention pass over one job and over all, and the p50/p99 of
# GET /api/v1/dumps filtered by job, and the median of GET /api/v1/fleet (every job judged). Targets: one job < 50 ms, all < 60 s, listing p99 < 50 ms.
# Usage: bench/catalog-scale.sh [jobs] [dumps-per-job]
set -euo pipefail
exec "$(dirname "$0")/run-bench.sh" CatalogScaleBench -Dbench.jobs="${1:-10000}" -Dbench.perJob="${2:-100}"
