#!/usr/bin/env bash
# Load bench: `cam4j serve` on loopback, 50 concurrent clients x 10 explain requests of cat.png;
# prints errors, latency percentiles, throughput and the server's peak RSS.
# Usage: cam4j-server/bench/load-bench.sh [--clients N] [--requests N] [--method M]
#        [--workers N] [--queue N] [--java-opts "-Xmx1g"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests package
exec java -cp "cam4j-server/target/test-classes:cam4j-cli/target/lib/*" \
  org.cam4j.server.LoadBench "$@"
