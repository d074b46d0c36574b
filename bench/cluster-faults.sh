#!/usr/bin/env bash
# The loopback cluster's failure table (bench/cluster_faults.py does the work):
#
#   bench/cluster-faults.sh [--quick] [--check] [WINDOW_SECONDS]   # window default 10; baseline 5 s
#
# Each fault in turn: kill -9, then SIGSTOP for 5 s and SIGCONT, of the OpenBao leader, a
# standby, the MariaDB writer (mysql-1), a backup (mysql-2) and one gateway replica, under a write
# burst and a boot-fetch burst through the gateways' balancer, each in a project of its own whose
# hook is a webhook receiver on loopback; `scripts/cluster.sh heal` between faults; then a
# verification pass that reads every acknowledged write back through the balancer, from Vault and
# from MySQL directly. Prints, per fault: writes acknowledged and lost, half-writes visible,
# restart events owed / delivered / duplicated, boot fetches answered 200 with wrong or stale
# data, the error codes clients saw, and the time to recover. Last, the MariaDB writer is
# desynced for 5 s (SET GLOBAL wsrep_desync = ON: up, not Synced) and it says which node held the
# gateways' sessions meanwhile. --quick: kill -9 of the Vault leader and SIGSTOP of the MariaDB
# writer only; ONLY=kill:PART or ONLY=stop:PART (PART: vault-leader, vault-standby, mysql-writer,
# mysql-backup, gateway) or ONLY=desync:mysql-writer runs one fault, and RAW=FILE keeps every
# request's timing and answer (never a value) as JSON lines. Brings the cluster up if it is not
# and leaves it up and healed. Asserts nothing, unless --check: then it exits 1 when a fault was
# skipped, acknowledged no write, or shows a write lost, a half-write, a wrong or stale fetch, an
# undelivered or unsigned restart event (scripts/cluster-check.sh, in CI). Loopback only;
# bounded (timed phases, the load runs on at most 60 s past the window to time the recovery, heal
# has the cluster's step timeout, each request 20 s, the verification pass waits at most 90 s for
# the reconciler). About 6 to 10
# minutes on two busy cores (--quick: about 2, once the cluster is up).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cluster=$root/scripts/cluster.sh
flags=()
while [ "${1:-}" = --quick ] || [ "${1:-}" = --check ]; do
  flags+=("$1")
  shift
done

# scripts/cluster-check.sh has just brought it up (VAULTGATE_CLUSTER_IS_UP=1): `up` again would
# only re-check every part, a minute on a busy machine.
[ "${VAULTGATE_CLUSTER_IS_UP:-0}" = 1 ] || "$cluster" up >/dev/null
eval "$("$cluster" env)"
export CLUSTER=$cluster CLUSTER_DIR=${VAULTGATE_CLUSTER_DIR:-$PWD/.cluster}
export HOOK_PORT=$((${VAULTGATE_CLUSTER_PORT_BASE:-27000} + 90)) WINDOW=${1:-10} BASELINE=5
export VAULTGATE_ADDR VAULTGATE_TOKEN VAULT_ADDR VAULT_TOKEN VAULT_CACERT
exec python3 "$root/bench/cluster_faults.py" "${flags[@]}"
