#!/usr/bin/env bash
# Two gateways writing through DIFFERENT Galera nodes at once, to the same project and scope:
#   scripts/cluster-galera.sh
#
# The cluster (scripts/cluster.sh up) writes through one node on purpose; this bypasses it. Two
# extra replicas start, gateway-4 on MariaDB node 1 and gateway-5 on node 2 (no balancer), and
# write distinct keys into one environment scope in rounds, both at the same instant, so their
# transactions touch the same rows on two nodes and Galera fails one at commit (1213,
# certification failure). It fails (exit 1) on any 5xx (every node is up, so even a 503
# metadata-unavailable means a 1213 reached the client), on an error that is not problem+json, or
# when a write answered 2xx is missing from the boot fetch. Answers 409 (scope-busy,
# concurrent-change) are documented outcomes and are counted, not failed. A loopback receiver hooked
# to the project counts deliveries by webhook-id: fewer events than acknowledged writes fail it;
# duplicates (at-least-once) are counted and printed.
# VAULTGATE_GALERA_ROUNDS (default 40) bounds the load. Uses VAULTGATE_CLUSTER_DIR,
# VAULTGATE_CLUSTER_PORT_BASE as cluster.sh does; VAULTGATE_CLUSTER_KEEP=1 leaves it up.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"

finish() {
  local rc=$?
  if [ "${VAULTGATE_CLUSTER_KEEP:-0}" != 1 ]; then
    cmd_down >/dev/null 2>&1 || true
    say "cluster down"
  fi
  exit $rc
}
trap finish EXIT

cmd_up
start_gateway 4 "$(mysql_port 1)"
start_gateway 5 "$(mysql_port 2)"
await_gateway 4
await_gateway 5
say "gateway-4 writes through mysql-1, gateway-5 through mysql-2"

VAULTGATE_TOKEN=$(cat "$keys/admin-token") \
  python3 "$here/cluster_galera_load.py" \
  "http://127.0.0.1:$(gateway_port 4)" "http://127.0.0.1:$(gateway_port 5)" "${VAULTGATE_GALERA_ROUNDS:-40}"
