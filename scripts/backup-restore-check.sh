#!/usr/bin/env bash
# Backs up the loopback cluster while writes go on and restores it into a fresh one:
#   scripts/backup-restore-check.sh
#
# Brings a cluster up (scripts/cluster.sh, VAULTGATE_CLUSTER_DIR), writes one key over and over
# through the gateways' balancer with a new value each time, takes `cluster.sh backup` (MySQL
# dump, then Raft snapshot) while the writes run, stops the writes, takes the cluster down and
# restores the backup into a fresh cluster (VAULTGATE_CLUSTER_DIR.restored, the same ports). Then
# checks, once the reconciler had time to settle (stale-after, 30 s, and its interval):
#   - the value served is one the old cluster acknowledged, and no older than the last value
#     acknowledged before the dump began: nothing both backups hold is lost;
#   - no change-set is left pending: those whose Vault version the snapshot lacks were aborted,
#     those whose version it holds were rolled forward;
# Not checked here: that a version written after the dump (in Vault alone, no change-set in the
# dump) is never served; the first check fails only if such a value was never acknowledged.
# Exits non-zero on any failure; takes the restored cluster down at the end
# (VAULTGATE_CLUSTER_KEEP=1 leaves it). Bounded: every wait has a deadline.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cluster=$here/cluster.sh
say() { echo "backup-check: $*"; }
fail() { echo "backup-check: FAILED: $*" >&2; exit 1; }

source_dir=${VAULTGATE_CLUSTER_DIR:-$PWD/.cluster}
restored_dir=$source_dir.restored
backup=$(mktemp -d)
out=$(mktemp)
hdr=$(mktemp)
acks=$(mktemp)
writer_pid=""
finish() {
  local rc=$?
  [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
  rm -rf "$backup" "$out" "$hdr" "$acks"
  if [ "${VAULTGATE_CLUSTER_KEEP:-0}" != 1 ]; then
    VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" down >/dev/null 2>&1 || true
    VAULTGATE_CLUSTER_DIR=$restored_dir "$cluster" down >/dev/null 2>&1 || true
  fi
  exit $rc
}
trap finish EXIT

call() { # METHOD PATH TOKEN [BODY] -> status; body in $out. Tokens go in a header file only.
  local method=$1 path=$2 token=$3 data=() h
  h=$(mktemp)
  [ -n "${4:-}" ] && data=(--data-binary "$4")
  printf 'Authorization: Bearer %s\n' "$token" > "$h"
  curl -s -o "${OUT:-$out}" -w '%{http_code}' --max-time 10 -X "$method" -H "@$h" \
    -H 'Content-Type: application/json' "${data[@]}" "$VAULTGATE_ADDR$path" || true
  rm -f "$h"
}
ok() {
  local code
  code=$(call "$@")
  case "$code" in 2??) ;; *) fail "$1 $2 answered $code: $(head -c 300 "$out")" ;; esac
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$out"; }

VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" up
eval "$(VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" env)"
project=backup$(date +%s)
deployment=/v1/projects/$project/environments/production/services/api
secret=/v1/projects/$project/environments/production/secrets/COUNTER
ok PUT "/v1/projects/$project" "$VAULTGATE_TOKEN"
ok PUT "/v1/projects/$project/environments/production" "$VAULTGATE_TOKEN" '{"type":"production"}'
ok PUT "/v1/projects/$project/services/api" "$VAULTGATE_TOKEN"
ok PUT "$deployment" "$VAULTGATE_TOKEN"

# The writer: value n, one after another; an acknowledged write appends "n epoch-ns" to $acks.
(
  n=0
  wout=$(mktemp)
  while [ $n -lt 100000 ]; do
    n=$((n + 1))
    code=$(OUT=$wout call PUT "$secret" "$VAULTGATE_TOKEN" "{\"value\":\"v$n\"}")
    case "$code" in 2??) echo "$n $(date +%s%N)" >> "$acks" ;; esac
  done
) &
writer_pid=$!
sleep 5
dump_began=$(date +%s%N)
VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" backup "$backup/set"
sleep 3
kill "$writer_pid" 2>/dev/null || true
wait "$writer_pid" 2>/dev/null || true
writer_pid=""
last_before=$(awk -v t="$dump_began" '$2 < t { n = $1 } END { print n + 0 }' "$acks")
last_ack=$(tail -n 1 "$acks" | cut -d' ' -f1)
say "acknowledged writes: $(wc -l < "$acks"); last before the dump began: v$last_before; last of all: v$last_ack"
[ "$last_before" -gt 0 ] || fail "no write was acknowledged before the backup"

VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" down
VAULTGATE_CLUSTER_DIR=$restored_dir "$cluster" restore "$backup/set"
eval "$(VAULTGATE_CLUSTER_DIR=$restored_dir "$cluster" env)"

# The reconciler settles an intent once it is stale (30 s on the database's clock).
pending() {
  printf '%s\n' "SELECT COUNT(*) FROM vaultgate.change_set WHERE status = 'pending'" \
    | mariadb --defaults-file="$restored_dir/mysql-1/my.cnf" --protocol=socket -uroot --batch --skip-column-names
}
say "change-sets pending in the restored MySQL: $(pending)"
deadline=$((SECONDS + 120))
until [ "$(pending)" = 0 ]; do
  [ $SECONDS -lt $deadline ] || fail "change-sets still pending 120 s after the restore: $(pending)"
  sleep 2
done
say "no change-set is pending"

ok POST "$deployment/tokens" "$VAULTGATE_TOKEN" '{"ttlSeconds":900}'
workload=$(field '["token"]')
ok GET "/v1/env?format=json" "$workload"
served=$(field '["COUNTER"]' | sed 's/^v//')
say "the restored cluster serves v$served"
grep -q "^$served " "$acks" || fail "v$served was never acknowledged by the old cluster"
[ "$served" -ge "$last_before" ] || fail "v$served is older than v$last_before, acknowledged before the dump began"
# What the restored Vault holds as the entry's latest version, beside what is served: a later
# value there is a version written after the dump, which no committed change-set names.
h=$(mktemp)
printf 'X-Vault-Token: %s\n' "$VAULT_TOKEN" > "$h"
latest=$(curl -s --max-time 10 --cacert "$VAULT_CACERT" -H "@$h" \
  "$VAULT_ADDR/v1/vaultgate/data/projects/$project/env/production" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["data"]["COUNTER"])' | sed 's/^v//')
rm -f "$h"
aborted=$(printf '%s\n' "SELECT COUNT(*) FROM vaultgate.change_set WHERE status = 'aborted'" \
  | mariadb --defaults-file="$restored_dir/mysql-1/my.cnf" --protocol=socket -uroot --batch --skip-column-names)
say "the restored Vault's latest version holds v$latest; change-sets aborted in the restored MySQL: $aborted"
[ "$latest" -ge "$served" ] || fail "Vault's latest version v$latest is older than the served v$served"
say "PASSED: v$served served (acknowledged; the last before the dump was v$last_before, the last of all v$last_ack)"
