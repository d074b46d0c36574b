#!/usr/bin/env bash
# Backs up the loopback cluster while writes go on and restores it into a fresh one:
#   scripts/backup-restore-check.sh
#
# Brings a cluster up (scripts/cluster.sh, VAULTGATE_CLUSTER_DIR), writes one key over and over
# through the gateways' balancer with a new value each time, and takes a backup in its two halves
# (cluster.sh backup-mysql, then backup-vault) with two things put between them, so that the
# restored Vault is newer than the restored MySQL in both ways a backup taken under writes can be:
#   (a) the Vault leader is frozen (SIGSTOP) with writes in flight, the dump is taken while their
#       change-sets are pending, then the leader is killed (-9): those writes never land, so the
#       dump holds change-sets pending whose Vault version the snapshot lacks;
#   (b) once a new leader is elected, the snapshot waits until three more writes are
#       acknowledged: the snapshot holds versions no change-set of the dump names.
# Then stops the writes, takes the cluster down, restores the backup into a fresh cluster
# (VAULTGATE_CLUSTER_DIR.restored, the same ports) and checks, once the reconciler had time to
# settle (stale-after, 30 s, and its interval):
#   - no change-set is left pending; of those the dump held as pending, the ones whose write the
#     frozen leader held are aborted (at least one), any whose write had landed is committed (a);
#   - the value served is one the old cluster acknowledged, and no older than the last value
#     acknowledged before the dump began: nothing both backups hold is lost;
#   - the restored Vault's latest version is newer than the value served (b): versions without
#     a commit in the dump are not served;
#   - a new write to that scope succeeds and the next boot fetch serves it (b).
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

source_sql() {
  printf '%s\n' "$1" \
    | mariadb --defaults-file="$source_dir/mysql-1/my.cnf" --protocol=socket -uroot --batch --skip-column-names
}
leader_pid=""
while read -r kind name pid address; do
  [ "$kind" = vault ] || continue
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$source_dir/tls/ca.crt" \
    "$address/v1/sys/health" || true)
  [ "$code" = 200 ] && { leader_pid=$pid; say "the Vault leader is $name (pid $pid)"; }
done < <(VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" ps)
[ -n "$leader_pid" ] || fail "no active OpenBao node"

# (a): writes in flight when the leader freezes wait on it (the gateways' pooled connections to it
# stay open); four more writes, to other keys, make sure some do, and the dump is taken meanwhile.
kill -STOP "$leader_pid"
held_pids=()
for k in 1 2 3 4; do
  (OUT=$(mktemp) call PUT "/v1/projects/$project/services/api/secrets/HELD_$k" "$VAULTGATE_TOKEN" '{"value":"held"}' \
    >/dev/null) &
  held_pids+=($!)
done
# The dump begins while they wait on the frozen leader: their intents are in it, pending.
sleep 1
dump_began=$(date +%s%N)
VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" backup-mysql "$backup/set"
dump_ended=$(date +%s%N)
kill -KILL "$leader_pid"
say "killed the frozen Vault leader: the writes it held never land"
for p in "${held_pids[@]}"; do wait "$p" 2>/dev/null || true; done
pending_in_dump=$(grep -oE "\('[0-9a-f-]{36}',[0-9]+,[0-9]+,'[^']*','pending'" "$backup/set/mysql.sql" \
  | cut -d"'" -f2 | tr '\n' ' ' || true)
[ -n "$pending_in_dump" ] || fail "the dump holds no pending change-set: case (a) not exercised"
say "change-sets pending in the dump: $pending_in_dump"

# (b): versions the dump lacks, acknowledged before the snapshot.
deadline=$((SECONDS + 120))
until [ "$(awk -v t="$dump_ended" '$2 > t' "$acks" | wc -l)" -ge 3 ]; do
  [ $SECONDS -lt $deadline ] || fail "fewer than 3 writes acknowledged in 120 s after the dump"
  sleep 0.5
done
VAULTGATE_CLUSTER_DIR=$source_dir "$cluster" backup-vault "$backup/set"
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

restored_sql() {
  printf '%s\n' "$1" \
    | mariadb --defaults-file="$restored_dir/mysql-1/my.cnf" --protocol=socket -uroot --batch --skip-column-names
}
# The reconciler settles an intent once it is stale (30 s on the database's clock).
pending() { restored_sql "SELECT COUNT(*) FROM vaultgate.change_set WHERE status = 'pending'"; }
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
aborted=$(restored_sql "SELECT COUNT(*) FROM vaultgate.change_set WHERE status = 'aborted'")
say "the restored Vault's latest version holds v$latest; change-sets aborted in the restored MySQL: $aborted"
[ "$latest" -gt "$served" ] || fail "Vault's latest version v$latest is not newer than the served v$served: case (b) not exercised"
# Those whose write the frozen leader held were never in Vault: aborted. One whose write had
# landed before the freeze is rolled forward: committed. None stays pending.
aborted_of_dump=0
for id in $pending_in_dump; do
  status=$(restored_sql "SELECT status FROM vaultgate.change_set WHERE id = '$id'")
  say "change-set $id, pending in the dump: $status"
  case "$status" in
    aborted) aborted_of_dump=$((aborted_of_dump + 1)) ;;
    committed) ;;
    *) fail "change-set $id, pending in the dump, is $status after the restore" ;;
  esac
done
[ "$aborted_of_dump" -gt 0 ] || fail "no change-set of the dump was aborted: case (a) not exercised"

# A new write to the scope whose Vault entry holds versions MySQL never recorded.
deadline=$((SECONDS + 30))
until code=$(call PUT "$secret" "$VAULTGATE_TOKEN" '{"value":"after-restore"}'); [ "${code:0:1}" = 2 ]; do
  say "the write after the restore answered $code: $(head -c 200 "$out")"
  [ $SECONDS -lt $deadline ] || fail "no write to the restored scope succeeded within 30 s"
  sleep 2
done
ok POST "$deployment/tokens" "$VAULTGATE_TOKEN" '{"ttlSeconds":900}'
workload=$(field '["token"]')
ok GET "/v1/env?format=json" "$workload"
[ "$(field '["COUNTER"]')" = after-restore ] || fail "the write after the restore is not what a boot fetch serves"
say "a write after the restore answered $code and is served"
say "PASSED: v$served served (acknowledged; the last before the dump was v$last_before, the last of all v$last_ack), the dump's pending change-sets aborted, the next write served"
