#!/usr/bin/env bash
# Builds what the benchmarks need (tests skipped) and runs one benchmark class of tests/end-to-end.
# Usage: bench/run-bench.sh <class> [-Dkey=value ...]   (used by the other scripts in bench/)
set -euo pipefail
cd "$(dirname "$0")/.."
class="$1"; shift

echo "== building (tests skipped)"
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl tests/end-to-end test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test

registry_jar=$(ls tools/schema-registry/target/pgsnapman-schema-registry-*-runner.jar | head -1)
echo "== running $class"
exec java -Xmx2g -Dpgsnapman.registry.jar="$registry_jar" "$@" \
  -Dlogging.config="$PWD/tests/end-to-end/src/test/resources/bench-logback.xml" \
  -cp "tests/end-to-end/target/test-classes:$(cat tests/end-to-end/target/bench.classpath)" \
  "io.pgsnapman.endtoend.$class"
