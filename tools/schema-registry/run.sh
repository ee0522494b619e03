#!/usr/bin/env bash
# Runs the schema registry built by this module (in-memory, Confluent API under /apis/ccompat/v7).
# Usage: tools/schema-registry/run.sh [port]   (default 8081; build first with ./mvnw package -DskipTests)
set -euo pipefail
port="${1:-8081}"
here="$(cd "$(dirname "$0")" && pwd)"
jar=$(ls "$here"/target/pgsnapman-schema-registry-*-runner.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ]; then
  echo "error: no registry jar under $here/target; build it with: ./mvnw -pl tools/schema-registry package" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "error: port $port is already in use" >&2
  exit 1
fi
echo "schema registry on http://127.0.0.1:$port/apis/ccompat/v7 (Ctrl-C stops it)"
HTTP_PORT="$port" exec java -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar"
