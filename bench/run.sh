#!/usr/bin/env bash
# Boot-fetch benchmark (not a test): prints p50/p99/throughput of GET /v1/env through the gateway
# for 20, 100 and 200 secrets over five scopes, against direct sequential KV reads and a floor of
# one hello-world call + five parallel KV reads. Real OpenBao (a `bao server -dev` child) and the
# local MariaDB, prepared by scripts/test-services.sh; the gateway runs in production mode with
# its least-privilege token, exactly as in the integration tests.
#
#   bench/run.sh                 # 20, 100 and 200 secrets
#   bench/run.sh 100             # one size
#   BENCH_OPTS='-Dbench.samples=2000' bench/run.sh
#
# VAULTGATE_BUILD_DIR picks the Maven build folder (default target-bench), so a benchmark does
# not collide with a build running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${VAULTGATE_BUILD_DIR:-target-bench}

bash scripts/test-services.sh >/dev/null
./mvnw -B -q -o test-compile -Dvaultgate.build.dir="$build_dir" \
  || ./mvnw -B -q test-compile -Dvaultgate.build.dir="$build_dir"
./mvnw -B -q -o org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dvaultgate.build.dir="$build_dir" -Dmdep.includeScope=test -Dmdep.outputFile="$build_dir/bench.classpath" >/dev/null
classpath="$build_dir/test-classes:$build_dir/classes:$(cat "$build_dir/bench.classpath")"
# http.maxConnections: idle keep-alive connections per host for the gateway's caller reads (JDK default 5).
# shellcheck disable=SC2086
exec java -Dhttp.maxConnections=64 ${BENCH_OPTS:-} -Xmx1g -cp "$classpath" io.vaultgate.bench.BootFetchBenchmark "$@"
