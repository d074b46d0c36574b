#!/usr/bin/env bash
# The benchmarks (not tests: they print tables and assert nothing). Real OpenBao (a `bao server
# -dev` child) and the local MariaDB, prepared by scripts/test-services.sh; the gateway runs in
# production mode with its least-privilege token, exactly as in the integration tests.
#
#   bench/run.sh all             # boot, load, mint, import, tls, jwt, fallback, curves (restart is its 1,000 row), console, diff, release and cli
#   bench/run.sh boot [sizes]    # boot fetch vs direct Vault reads (20, 100 and 200 secrets)
#   bench/run.sh 100             # the same, one size (a bare number means `boot`)
#   bench/run.sh load            # the gateway in its own JVM: 8, 50, 200 concurrent boots; fresh tokens
#   bench/run.sh mint            # workload tokens minted through the gateway vs Vault's own create
#   bench/run.sh restart         # a project-level change to 1,000 deployments, answer -> last webhook
#   bench/run.sh curves [sections] # cost as work grows: boot, wide, restart, load (default all)
#   bench/run.sh cli             # `vaultgate list` start-up vs a hello-world picocli jar
#   bench/run.sh import [sizes]  # POST .../import of 1,000 and 5,000 keys vs a direct Vault write + MySQL batch
#   bench/run.sh tls             # boot fetches over HTTPS vs plain HTTP, kept-alive and on new connections
#   bench/run.sh jwt             # JWT exchange and GET /v1/env with a JWT vs a mint and a fetch with a token
#   bench/run.sh fallback        # `vaultgate run` with its encrypted fallback file (kept, offline, gateway down) vs without
#   bench/run.sh console [sizes] # console pages vs the API calls with the same facts (20 and 200 keys)
#   bench/run.sh diff [services] # GET .../diff (keys, values=true) vs the resolved calls and Vault reads it replaces
#   bench/run.sh release [sizes] # a rotation at three scopes as one release vs three imports (1 and 10 keys a scope)
#   BENCH_OPTS='-Dbench.samples=2000' bench/run.sh boot
#   BENCH_OPTS='-Dbench.clients=' bench/run.sh load   # no load rows: warm-up and fresh tokens only
#
# VAULTGATE_BUILD_DIR picks the Maven build folder (default target-bench), so a benchmark does
# not collide with a build running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${VAULTGATE_BUILD_DIR:-target-bench}

prepare() {
  bash scripts/test-services.sh >/dev/null
  ./mvnw -B -q -o test-compile -Dvaultgate.build.dir="$build_dir" \
    || ./mvnw -B -q test-compile -Dvaultgate.build.dir="$build_dir"
  ./mvnw -B -q -o org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
    -Dvaultgate.build.dir="$build_dir" -Dmdep.includeScope=test -Dmdep.outputFile="$build_dir/bench.classpath" >/dev/null
  classpath="$build_dir/test-classes:$build_dir/classes:$(cat "$build_dir/bench.classpath")"
}

# Runs one benchmark's main class in a JVM of its own.
bench_java() {
  # http.maxConnections: idle keep-alive connections per host for the gateway's caller reads (JDK default 5).
  # shellcheck disable=SC2086
  java -Dhttp.maxConnections=64 ${BENCH_OPTS:-} -Xmx1g -cp "$classpath" "$@"
}

run_one() {
  local name=$1
  shift
  case "$name" in
    boot) bench_java io.vaultgate.bench.BootFetchBenchmark "$@" ;;
    load) bench_java io.vaultgate.bench.LoadBenchmark "$@" ;;
    mint) bench_java io.vaultgate.bench.MintBenchmark "$@" ;;
    import) bench_java io.vaultgate.bench.ImportBenchmark "$@" ;;
    tls) bench_java io.vaultgate.bench.TlsBenchmark "$@" ;;
    jwt) bench_java io.vaultgate.bench.JwtExchangeBenchmark "$@" ;;
    fallback) bench_java io.vaultgate.bench.FallbackBenchmark "$@" ;;
    console) bench_java io.vaultgate.bench.ConsoleBenchmark "$@" ;;
    diff) bench_java io.vaultgate.bench.DiffBenchmark "$@" ;;
    release) bench_java io.vaultgate.bench.ReleaseBenchmark "$@" ;;
    restart)
      BENCH_OPTS="-Dbench.restart.sizes=1000 -Dbench.restart.rounds=5 ${BENCH_OPTS:-}" \
        bench_java io.vaultgate.bench.CostCurvesBenchmark restart ;;
    curves) bench_java io.vaultgate.bench.CostCurvesBenchmark "$@" ;;
    cli)
      if [[ -z ${VAULTGATE_JAR:-} ]]; then
        ./mvnw -B -q package -DskipTests -Dvaultgate.build.dir="$build_dir"
        VAULTGATE_JAR=$(ls "$PWD/$build_dir"/vaultgate-*.jar | grep -v '/original-' | head -1)
        export VAULTGATE_JAR
      fi
      bash bench/cli-startup.sh "$@" ;;
    *) echo "bench/run.sh: unknown benchmark '$name' (all, boot, load, mint, import, tls, jwt, fallback, curves, restart, console, diff, release, cli)" >&2; return 2 ;;
  esac
}

what=${1:-boot}
if [[ $what =~ ^[0-9]+$ ]]; then
  what=boot
else
  shift || true
fi

prepare
if [[ $what == all ]]; then
  for name in boot load mint import tls jwt fallback curves console diff release cli; do
    echo
    echo "=== bench/run.sh $name"
    run_one "$name"
  done
else
  run_one "$what" "$@"
fi
