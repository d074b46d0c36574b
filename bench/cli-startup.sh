#!/usr/bin/env bash
# Start-up benchmark of the CLI (a benchmark, not a test: it prints figures and judges nothing).
# Wall time of `vaultgate list -p bench-startup` through bin/vaultgate against a dev-mode gateway,
# versus a hello-world picocli command (bench/HelloPicocli.java) on the same JVM; medians of RUNS
# runs each, and their ratio. The goal is a ratio of at most 1.5.
#
#   bench/cli-startup.sh [RUNS]        (default 20)
#
# With VAULTGATE_ADDR and VAULTGATE_TOKEN both set, it uses that gateway (creating the project
# bench-startup there); otherwise it starts a dev-mode gateway of its own from the jar, on a free
# local port with a temporary data folder, and stops it at the end. Needs the jar
# (./mvnw -B -q -DskipTests package, or VAULTGATE_JAR), curl, and picocli in ~/.m2 (the build
# puts it there). Uses hyperfine when installed (apt-get install hyperfine), else a timing loop.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-20}
PICOCLI_VERSION=${PICOCLI_VERSION:-4.7.7}
PROJECT=bench-startup
# The JVM options bin/vaultgate runs with, so the second baseline differs only in the program.
LAUNCHER_OPTS=$(sed -n 's/^opts="\(.*\)"$/\1/p' bin/vaultgate)

jar=${VAULTGATE_JAR:-}
if [[ -z $jar ]]; then
  for candidate in target/vaultgate-*.jar; do
    [[ $candidate == */original-* ]] && continue
    [[ -f $candidate ]] && jar=$PWD/$candidate
  done
fi
[[ -n $jar && -f $jar ]] || { echo "cli-startup: no jar; run ./mvnw -B -q -DskipTests package or set VAULTGATE_JAR" >&2; exit 1; }
export VAULTGATE_JAR=$jar
picocli=$HOME/.m2/repository/info/picocli/picocli/$PICOCLI_VERSION/picocli-$PICOCLI_VERSION.jar
[[ -f $picocli ]] || { echo "cli-startup: $picocli is missing; build the project once" >&2; exit 1; }

work=$(mktemp -d)
gateway_pid=
cleanup() {
  local status=$?
  if [[ -n $gateway_pid ]]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

mkdir -p "$work/hello"
javac --release 17 -cp "$picocli" -d "$work/hello" bench/HelloPicocli.java
jar --create --file "$work/hello.jar" -C "$work/hello" .

if [[ -z ${VAULTGATE_ADDR:-} || -z ${VAULTGATE_TOKEN:-} ]]; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000)))
  # A copy: rebuilding the jar meanwhile must not pull classes from under the running gateway.
  cp "$jar" "$work/gateway.jar"
  MICRONAUT_ENVIRONMENTS=dev VAULTGATE_PORT=$port VAULTGATE_DATA_DIR=$work/data java -jar "$work/gateway.jar" \
    >"$work/gateway.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 180); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
    sleep 0.5
  done
  export VAULTGATE_ADDR=http://127.0.0.1:$port
  VAULTGATE_TOKEN=$(cat "$work/data/admin-token")
  export VAULTGATE_TOKEN
fi
curl -fs -o /dev/null -X PUT -H "Authorization: Bearer $VAULTGATE_TOKEN" "$VAULTGATE_ADDR/v1/projects/$PROJECT"
bin/vaultgate set -p "$PROJECT" DATABASE_URL=postgres://db/bench LOG_LEVEL=info FEATURE_X=on >/dev/null 2>&1
# A fresh gateway answers slowly until its JIT has compiled the request path; this measures the
# CLI's start-up, so warm the gateway first.
for _ in $(seq 500); do
  curl -fs -o /dev/null -H "Authorization: Bearer $VAULTGATE_TOKEN" "$VAULTGATE_ADDR/v1/projects/$PROJECT/secrets"
done
# Let the class-data archive be written (bin/vaultgate does so in the background after a build).
for _ in $(seq 120); do
  compgen -G "${jar%.jar}-cli-*.jsa.lock" >/dev/null || break
  sleep 0.5
done

names=("hello-world picocli (java -cp)" "hello-world picocli (bin/vaultgate's JVM options)"
  "vaultgate list (bin/vaultgate)" "vaultgate list (bin/vaultgate, VAULTGATE_CDS=0)")
# shellcheck disable=SC2206
commands=("java -cp $work/hello.jar:$picocli HelloPicocli -p $PROJECT"
  "java $LAUNCHER_OPTS -cp $work/hello.jar:$picocli HelloPicocli -p $PROJECT"
  "bin/vaultgate list -p $PROJECT"
  "env VAULTGATE_CDS=0 bin/vaultgate list -p $PROJECT")

# Other work on the machine comes and goes, so the commands take turns: ROUNDS rounds of RUNS/ROUNDS
# runs of each; a command's figure is the median of its runs over all rounds.
ROUNDS=5
per_round=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
declare -A times
if command -v hyperfine >/dev/null 2>&1; then
  tool="hyperfine $(hyperfine --version | cut -d' ' -f2)"
  args=()
  for i in "${!names[@]}"; do args+=(-n "bench-$i" "${commands[$i]}"); done
  hyperfine -N --style none --warmup 3 --runs 1 "${args[@]}" >/dev/null 2>&1
  for _ in $(seq "$ROUNDS"); do
    hyperfine -N --style none --runs "$per_round" --export-json "$work/round.json" "${args[@]}" >/dev/null
    # One line per command: its name, then the wall time of each run in seconds.
    while read -r name runs; do
      times[$name]="${times[$name]:-} $runs"
    done < <(tr -d ' \n' <"$work/round.json" | grep -o '"command":"bench-[0-9]*"[^]]*"times":\[[^]]*' \
      | sed 's/"command":"\(bench-[0-9]*\)".*"times":\[/\1 /; s/,/ /g')
  done
else
  tool="a date +%s%N loop"
  for command in "${commands[@]}"; do
    # shellcheck disable=SC2086
    $command >/dev/null 2>&1
  done
  for _ in $(seq "$ROUNDS"); do
    for i in "${!commands[@]}"; do
      for _ in $(seq "$per_round"); do
        start=$(date +%s%N)
        # shellcheck disable=SC2086
        ${commands[$i]} >/dev/null 2>&1
        times[bench-$i]="${times[bench-$i]:-} $(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { print ns / 1e9 }')"
      done
    done
  done
fi
medians=()
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086
  medians+=("$(printf '%s\n' ${times[bench-$i]} | sort -g | awk '{ a[NR] = $1 } END { printf "%d", a[int((NR + 1) / 2)] * 1000 + 0.5 }')")
done

echo "CLI start-up: median wall time of $((ROUNDS * per_round)) runs each, in $ROUNDS alternating rounds ($tool), $(java -version 2>&1 | head -n1)"
echo "gateway: $VAULTGATE_ADDR, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-52s %10s %8s\n' "COMMAND" "MEDIAN MS" "RATIO"
for i in "${!names[@]}"; do
  printf '%-52s %10s %8s\n' "${names[$i]}" "${medians[$i]}" "$(awk -v a="${medians[$i]}" -v b="${medians[0]}" 'BEGIN { printf "%.2f", a / b }')"
done
echo
awk -v a="${medians[2]}" -v b="${medians[0]}" \
  'BEGIN { r = a / b; printf "vaultgate list / hello-world: %.2fx (goal <= 1.5x: %s)\n", r, r <= 1.5 ? "met" : "NOT met" }'
