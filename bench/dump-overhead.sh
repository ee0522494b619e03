#!/usr/bin/env bash
# Dump overhead of PgSnapMan against a plain pg_dump -Fd at the same -j, on a pgbench database.
# Usage: bench/dump-overhead.sh [scale] [rounds] [jobs]     (defaults: 20 3 2)
# Starts its own PostgreSQL servers, Kafka broker and schema registry (no Docker), builds what it needs,
# alternates the two kinds of dump, and prints the medians and their ratio. Target: ratio <= 1.10.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-20}"; rounds="${2:-3}"; jobs="${3:-2}"

echo "== building (tests skipped)"
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl tests/end-to-end test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test

registry_jar=$(ls tools/schema-registry/target/pgsnapman-schema-registry-*-runner.jar | head -1)
echo "== running"
java -Xmx2g -Dpgsnapman.registry.jar="$registry_jar" \
  -Dbench.scale="$scale" -Dbench.rounds="$rounds" -Dbench.jobs="$jobs" \
  -Dlogging.config="$PWD/tests/end-to-end/src/test/resources/bench-logback.xml" \
  -cp "tests/end-to-end/target/test-classes:$(cat tests/end-to-end/target/bench.classpath)" \
  io.pgsnapman.endtoend.DumpOverheadBench
