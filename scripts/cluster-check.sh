#!/usr/bin/env bash
# The short form of the cluster's failure table, as a check (scripts/test.sh runs it after the
# Maven build, so CI does):
#
#   scripts/cluster-check.sh
#
# Brings a loopback cluster up (scripts/cluster.sh) in a state directory and port range of its own,
# runs `bench/cluster-faults.sh --quick --check` (kill -9 of the OpenBao leader, SIGSTOP 5 s of
# the MariaDB writer, each under writes and boot fetches through the balancer) and always takes the
# cluster down and deletes its state, keys included. Fails when the cluster does not come up, or
# when a fault shows an acknowledged write lost, a half-applied write, a boot fetch answering
# wrong or stale data, or a restart event owed and not delivered. Refusals (503, 409) while a part
# is down are what the table is for, not failures.
#
# VAULTGATE_CLUSTER_CHECK_DIR (default a fresh mktemp directory) and VAULTGATE_CLUSTER_PORT_BASE
# (default 29000, away from the 27000 of a developer's own cluster) place it; VAULTGATE_JAR or
# VAULTGATE_BUILD_DIR pick the jar, which is copied into the state directory first, so a build
# during the run cannot change it under the gateways. Bounded: every step of cluster.sh has its
# timeout, each fault its windows, and `timeout` stops the faults' run at
# VAULTGATE_CLUSTER_CHECK_TIMEOUT (default 600 s) whatever happens.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
export VAULTGATE_CLUSTER_DIR=${VAULTGATE_CLUSTER_CHECK_DIR:-$(mktemp -d /tmp/vaultgate-cluster-check.XXXXXX)}
export VAULTGATE_CLUSTER_PORT_BASE=${VAULTGATE_CLUSTER_PORT_BASE:-29000}
say() { echo "cluster-check: $*"; }
started=$SECONDS

finish() {
  local rc=$?
  "$root/scripts/cluster.sh" down >/dev/null 2>&1 || true
  rm -rf "$VAULTGATE_CLUSTER_DIR"
  if [ $rc -eq 0 ]; then
    say "passed in $((SECONDS - started)) s"
  else
    say "FAILED after $((SECONDS - started)) s (exit $rc)"
  fi
  exit $rc
}
trap finish EXIT
trap 'exit 143' TERM INT

mkdir -p "$VAULTGATE_CLUSTER_DIR"
if [ -z "${VAULTGATE_JAR:-}" ]; then
  built=$(ls "$root/${VAULTGATE_BUILD_DIR:-target}"/vaultgate-*.jar 2>/dev/null | grep -v -e original- -e '-cli' | head -n 1 || true)
  [ -n "$built" ] || { say "no gateway jar in ${VAULTGATE_BUILD_DIR:-target}/ (build it first)"; exit 1; }
  cp "$built" "$VAULTGATE_CLUSTER_DIR/vaultgate.jar"
  export VAULTGATE_JAR=$VAULTGATE_CLUSTER_DIR/vaultgate.jar
fi

say "cluster in $VAULTGATE_CLUSTER_DIR, ports from $VAULTGATE_CLUSTER_PORT_BASE"
"$root/scripts/cluster.sh" up | sed 's/^/  /'
say "up after $((SECONDS - started)) s"
VAULTGATE_CLUSTER_IS_UP=1 timeout --foreground "${VAULTGATE_CLUSTER_CHECK_TIMEOUT:-600}" \
  "$root/bench/cluster-faults.sh" --quick --check
