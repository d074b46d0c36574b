#!/usr/bin/env bash
# The loopback cluster's failure table: for each part in turn, steady writes and boot fetches
# through the gateways' balancer, then kill -9 of that part, then `scripts/cluster.sh heal`.
# Prints, per fault, the baseline measured just before it beside what the fault window saw:
#
#   bench/cluster-faults.sh [WINDOW_SECONDS]      # default 10; baseline 5 s before each fault
#
# Parts: the active OpenBao node, a standby, the MariaDB writer (mysql-1), a backup (mysql-2),
# one gateway replica. Brings the cluster up if it is not (scripts/cluster.sh up) and leaves it
# up and healed. Asserts nothing. Loopback only; bounded (each phase is timed, heal has the
# cluster's step timeout). About 4 minutes on two busy cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cluster=$root/scripts/cluster.sh
window=${1:-10}
baseline=5

"$cluster" up >/dev/null
eval "$("$cluster" env)"

pid_of() { "$cluster" ps | awk -v n="$1" '$2 == n { print $3 }'; }
active_vault() {
  local kind name pid address
  while read -r kind name pid address; do
    [ "$kind" = vault ] || continue
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$VAULT_CACERT" "$address/v1/sys/health")" = "$1" ]; then
      echo "$name"
      return
    fi
  done < <("$cluster" ps)
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT

for fault in vault-active vault-standby mysql-writer mysql-backup gateway; do
  case $fault in
    vault-active) target=$(active_vault 200) ;;
    vault-standby) target=$(active_vault 429) ;;
    mysql-writer) target=mysql-1 ;;
    mysql-backup) target=mysql-2 ;;
    gateway) target=gateway-2 ;;
  esac
  pid=$(pid_of "$target")
  [ -n "$pid" ] || { echo "cluster-faults: $target is not running; skipping $fault" >&2; continue; }
  echo "cluster-faults: $fault: kill -9 $target (pid $pid) after ${baseline}s, watching ${window}s" >&2
  FAULT=$fault TARGET=$target PID=$pid BASELINE=$baseline WINDOW=$window python3 - >>"$results" <<'PY'
import json, os, signal, statistics, time, urllib.request, urllib.error

addr, admin = os.environ["VAULTGATE_ADDR"], os.environ["VAULTGATE_TOKEN"]
project = "faults%d" % int(time.time() * 1000)

def call(method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(addr + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read(), time.monotonic() - started
    except urllib.error.HTTPError as e:
        return e.code, b"", time.monotonic() - started
    except OSError:
        return 0, b"", time.monotonic() - started

def must(method, path, token, body=None):
    for _ in range(40):
        status, payload, _ = call(method, path, token, body)
        if 200 <= status < 300:
            return payload
        time.sleep(0.5)
    raise SystemExit("setup call %s %s kept failing (%d)" % (method, path, status))

deployment = "/v1/projects/%s/environments/prod/services/api" % project
must("PUT", "/v1/projects/" + project, admin)
must("PUT", "/v1/projects/%s/environments/prod" % project, admin, {"type": "production"})
must("PUT", "/v1/projects/%s/services/api" % project, admin)
must("PUT", deployment, admin)
workload = json.loads(must("POST", deployment + "/tokens", admin, {"ttlSeconds": 900}))["token"]

def phase(seconds, acked):
    """Alternate a write and a boot fetch for `seconds`; every answer with its time."""
    events, end, n = [], time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
        value = "v%d-%d" % (os.getpid(), n)
        status, _, took = call("PUT", "/v1/projects/%s/environments/prod/secrets/K" % project, admin, {"value": value})
        events.append(("write", time.monotonic(), 200 <= status < 300, took, False))
        if 200 <= status < 300:
            acked.append(value)
        status, payload, took = call("GET", "/v1/env?format=json", workload)
        stale = False
        if status == 200 and acked:
            stale = json.loads(payload).get("K") not in acked[-2:]  # a write may land between the two
        events.append(("fetch", time.monotonic(), status == 200, took, stale))
        if status != 200:
            time.sleep(0.05)
    return events

def summary(events, seconds):
    out = {}
    for kind in ("write", "fetch"):
        ok = [e for e in events if e[0] == kind and e[2]]
        out[kind] = {"ok_per_s": len(ok) / seconds, "failed": sum(1 for e in events if e[0] == kind and not e[2]),
                     "p50_ms": statistics.median([e[3] for e in ok]) * 1000 if ok else None,
                     "stale": sum(1 for e in events if e[0] == kind and e[4]),
                     "slowest_s": max([e[3] for e in events if e[0] == kind], default=None)}
    return out

acked = []
before = summary(phase(float(os.environ["BASELINE"]), acked), float(os.environ["BASELINE"]))
killed = time.monotonic()
os.kill(int(os.environ["PID"]), signal.SIGKILL)
window = float(os.environ["WINDOW"])
events = phase(window, acked)
during = summary(events, window)
first = {}
for kind in ("write", "fetch"):
    failures = [e[1] for e in events if e[0] == kind and not e[2]]
    after = [e[1] for e in events if e[0] == kind and e[2] and (not failures or e[1] > failures[-1])]
    first[kind] = (after[0] - killed) if failures and after else (0.0 if not failures else None)
print(json.dumps({"fault": os.environ["FAULT"], "target": os.environ["TARGET"],
                  "before": before, "during": during, "recovered": first}))
PY
  "$cluster" heal >/dev/null
done

python3 - "$results" "$window" "$baseline" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
window, baseline = sys.argv[2], sys.argv[3]
def f(x, fmt="%.1f"):
    return "-" if x is None else fmt % x
def ratio(a, b):
    return "-" if not b else "%.2f" % (a / b)
print()
print("kill -9 of each part under steady writes and boot fetches (one client, sequential);")
print("baseline: the %s s just before the kill; window: the %s s after it" % (baseline, window))
print()
print("| part killed | writes/s baseline | writes/s window | ratio | writes refused | slowest write baseline / window | fetches/s baseline | fetches/s window | ratio | fetches refused / stale | slowest fetch baseline / window | back after (write / fetch) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    b, d, rec = r["before"], r["during"], r["recovered"]
    back = "%s s / %s s" % (f(rec["write"]), f(rec["fetch"]))
    slow = lambda kind: "%s s / %s s" % (f(b[kind]["slowest_s"]), f(d[kind]["slowest_s"]))
    print("| %s (%s) | %s | %s | %s | %d | %s | %s | %s | %s | %d / %d | %s | %s |" % (
        r["fault"], r["target"], f(b["write"]["ok_per_s"]), f(d["write"]["ok_per_s"]),
        ratio(d["write"]["ok_per_s"], b["write"]["ok_per_s"]), d["write"]["failed"], slow("write"),
        f(b["fetch"]["ok_per_s"]), f(d["fetch"]["ok_per_s"]), ratio(d["fetch"]["ok_per_s"], b["fetch"]["ok_per_s"]),
        d["fetch"]["failed"], d["fetch"]["stale"], slow("fetch"), back))
print()
print("slowest: the longest one answer took (a request held while a part fails over, or refused after its timeout)")
print("back after: seconds from the kill to the first success after the last refusal; 0.0: none refused; -: not back within the window")
print("stale: a boot fetch that answered neither of the last two acknowledged values")
PY
