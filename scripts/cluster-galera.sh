#!/usr/bin/env bash
# Two gateways writing through DIFFERENT Galera nodes at once, to the same project and scope:
#   scripts/cluster-galera.sh
#
# First it desyncs the writer (SET GLOBAL wsrep_desync = ON on mysql-1: up, answering, not
# Synced) and checks that the balancer moves every gateway session to mysql-2 and a write goes
# through, then back once mysql-1 is Synced again (scripts/galera-check.py).
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

# First, the balancer's Synced check: a writer that is up but desynced (as a donor is) must lose
# the gateways' sessions to the next node, and get them back once Synced again.
sessions_on() { sql "$1" "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'vaultgate'" 2>/dev/null || echo 0; }
only_writer() { # NODE: a write through the balancer succeeds and the gateways' sessions are on NODE alone
  local n others=0
  [ "$(http_code -X PUT -H "@$keys/admin-header" "http://127.0.0.1:$gateway_lb_port/v1/projects/desync$1x$SECONDS")" = 201 ] || return 1
  for n in "${nodes[@]}"; do [ "$n" = "$1" ] || others=$((others + $(sessions_on "$n"))); done
  [ "$(sessions_on "$1")" -gt 0 ] && [ "$others" -eq 0 ]
}
umask 077
printf 'Authorization: Bearer %s\n' "$(cat "$keys/admin-token")" > "$keys/admin-header"
wait_until "the gateways to write through mysql-1" only_writer 1
sql 1 "SET GLOBAL wsrep_desync = ON"
desynced_at=$SECONDS
say "mysql-1 desynced: $(sql 1 "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)"
wait_until "the writes to move off the desynced mysql-1 (its check answers: $(curl -s "http://127.0.0.1:$(check_port 1)/"))" only_writer 2
say "writes moved to mysql-2 $((SECONDS - desynced_at)) s after mysql-1 was desynced"
sql 1 "SET GLOBAL wsrep_desync = OFF"
wait_until "the writes to come back to mysql-1" only_writer 1
say "writes came back to mysql-1 once Synced"
rm -f "$keys/admin-header"

start_gateway 4 "$(mysql_port 1)"
start_gateway 5 "$(mysql_port 2)"
await_gateway 4
await_gateway 5
say "gateway-4 writes through mysql-1, gateway-5 through mysql-2"

VAULTGATE_TOKEN=$(cat "$keys/admin-token") \
  python3 "$here/cluster_galera_load.py" \
  "http://127.0.0.1:$(gateway_port 4)" "http://127.0.0.1:$(gateway_port 5)" "${VAULTGATE_GALERA_ROUNDS:-40}"
