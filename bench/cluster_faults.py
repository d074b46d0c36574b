"""The loopback cluster's failure table; run by bench/cluster-faults.sh, which sets the environment.

For each fault: a fresh project (two deployments inheriting its `prod` environment, a webhook
receiver on loopback registered as the project's hook), a writer and two boot fetchers through the
gateways' balancer for a baseline, the fault (kill -9, or SIGSTOP for 5 s then SIGCONT) on one
part, the rest of the window, `cluster.sh heal`, and a wait for the restart events owed. A
verification pass at the end reads every acknowledged write back through the balancer, from Vault
(root token) and from MySQL (a node's socket), and counts the deliveries again. Asserts nothing.
"""

import base64
import collections
import hashlib
import hmac
import http.server
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

GATEWAY, ADMIN = os.environ["VAULTGATE_ADDR"], os.environ["VAULTGATE_TOKEN"]
VAULT, ROOT = os.environ["VAULT_ADDR"], os.environ["VAULT_TOKEN"]
VAULT_TLS = ssl.create_default_context(cafile=os.environ["VAULT_CACERT"])
CLUSTER, CLUSTER_DIR = os.environ["CLUSTER"], os.environ["CLUSTER_DIR"]
HOOK_PORT = int(os.environ["HOOK_PORT"])
BASELINE, WINDOW, FREEZE = float(os.environ["BASELINE"]), float(os.environ["WINDOW"]), 5.0
DELIVERY_WAIT = float(os.environ.get("DELIVERY_WAIT", "30"))
SETTLE = float(os.environ.get("SETTLE", "90"))  # the reconciler finishes a stale write within ~40 s
RECOVERY = 60.0  # past the window, how long the load waits for both kinds of request to succeed again
KEYS = 12
DEPLOYMENTS = ("api", "worker")


def log(message):
    print("cluster-faults: " + message, file=sys.stderr, flush=True)


# --- HTTP ------------------------------------------------------------------------------------

def call(method, url, token, body=None, context=None, timeout=20):
    """(status, parsed JSON or None, error label); status 0 when no HTTP answer came back."""
    data = json.dumps(body).encode() if body is not None else None
    # Vault reads X-Vault-Token; the gateway a bearer token. Each gets only its own header.
    header = {"X-Vault-Token": token} if context is not None else {"Authorization": "Bearer " + token}
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**header, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            payload = answer.read()
            return answer.status, (json.loads(payload) if payload else None), None
    except urllib.error.HTTPError as e:
        try:
            problem = json.loads(e.read() or b"{}")
        except ValueError:
            problem = {}
        return e.code, None, "%d %s" % (e.code, problem.get("code", "-"))
    except TimeoutError:
        return 0, None, "timeout"
    except OSError as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return 0, None, "timeout"
        return 0, None, "no answer (%s)" % type(reason).__name__


def must(method, path, body=None, tries=60):
    for _ in range(tries):
        status, answer, error = call(method, GATEWAY + path, ADMIN, body)
        if 200 <= status < 300:
            return answer
        time.sleep(0.5)
    raise SystemExit("setup call %s %s kept failing (%s)" % (method, path, error))


# --- Webhook receiver ------------------------------------------------------------------------

class Receiver(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), Hook)
        self.lock = threading.Lock()
        self.seen = collections.Counter()  # webhook-id -> times received
        self.pairs = collections.defaultdict(set)  # project -> {(change-set, service)}
        self.secrets = {}  # project -> the hook's signing key
        self.unsigned = collections.Counter()  # project -> deliveries whose signature did not verify


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(204)
        self.end_headers()
        try:
            data = json.loads(body)["data"]
        except (ValueError, KeyError):
            return
        with self.server.lock:
            if not self.signed(data["project"], body):
                self.server.unsigned[data["project"]] += 1
                return
            self.server.seen[(data["project"], self.headers.get("webhook-id"))] += 1
            for change_set in data.get("changeSets", []):
                self.server.pairs[data["project"]].add((change_set, data["service"]))

    def signed(self, project, body):
        """Standard Webhooks: v1,<base64 HMAC-SHA256 of id.timestamp.body> under the hook's secret."""
        secret = self.server.secrets.get(project)
        if secret is None:
            return False
        signed = "%s.%s." % (self.headers.get("webhook-id"), self.headers.get("webhook-timestamp"))
        digest = hmac.new(base64.b64decode(secret.removeprefix("whsec_")), signed.encode() + body,
                          hashlib.sha256).digest()
        expected = "v1," + base64.b64encode(digest).decode()
        return any(hmac.compare_digest(expected, given)
                   for given in self.headers.get("webhook-signature", "").split())

    def log_message(self, *args):
        pass


def ok(status):
    return status is not None and 200 <= status < 300


def acked(attempt):
    return attempt["ended"] is not None and ok(attempt["status"])


def settled(requests, since):
    """(started, ended, status) triples: the latest request begun that has ended began after
    `since` and succeeded, none begun before it is still in flight, and no failure ended after it
    began. (A success begun before the fault says nothing of one still in flight.)"""
    done = [r for r in requests if r[1] is not None]
    if not done:
        return False
    latest = max(done, key=lambda r: r[0])
    return latest[0] > since and ok(latest[2]) and all(r[1] is not None and (ok(r[2]) or r[1] <= latest[0])
                                 for r in requests if r[0] < latest[0])


def refused_for_sure(attempt):
    """A write the gateway answered 4xx did not happen; a 5xx or no answer may have."""
    return attempt["ended"] is not None and 400 <= attempt["status"] < 500


# --- One fault -------------------------------------------------------------------------------

class Run:
    """Every write attempt and boot fetch of one project, and what each saw."""

    def __init__(self, project):
        self.project = project
        self.lock = threading.Lock()
        self.attempts = []  # dicts: key, value, started, ended, status, error, change_set, restarts
        self.fetches = []  # dicts: at, ended, status, error, wrong, stale, half
        self.stop = threading.Event()
        self.tokens = {}

    def allowed(self, key, started, ended):
        """Values a read of `key` during [started, ended] may answer: the last value acknowledged
        before it began, and any value whose write had begun by its end without an earlier ack."""
        with self.lock:
            attempts = [a for a in self.attempts if a["key"] == key]
        acked_before = [a for a in attempts if acked(a) and a["ended"] < started]
        floor = acked_before[-1]["started"] if acked_before else -1.0
        values = {a["value"] for a in attempts if floor <= a["started"] <= ended
                  and (a["ended"] is None or a["ended"] >= started or not refused_for_sure(a))}
        return values, bool(acked_before)

    def refused_for_sure(self, value):
        with self.lock:
            return any(a["value"] == value and refused_for_sure(a) for a in self.attempts)

    def judge(self, env, started, ended):
        """(wrong, stale, half): values never written, values older than an ack, refused writes shown."""
        wrong = stale = half = 0
        with self.lock:
            written = {a["value"] for a in self.attempts}
        for n in range(KEYS):
            key = "K%d" % n
            values, must_have = self.allowed(key, started, ended)
            got = env.get(key)
            if got is None:
                stale += must_have
            elif got not in written:
                wrong += 1
            elif self.refused_for_sure(got):
                half += 1
            elif got not in values:
                stale += 1
        return wrong, stale, half

    def writer(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            key, value = "K%d" % (n % KEYS), "%s-%d-%s" % (self.project, n, os.urandom(4).hex())
            attempt = {"key": key, "value": value, "started": time.monotonic(), "ended": None, "status": None}
            with self.lock:
                self.attempts.append(attempt)
            status, answer, error = call("PUT", GATEWAY + "/v1/projects/%s/environments/prod/secrets/%s"
                                         % (self.project, key), ADMIN, {"value": value})
            with self.lock:
                attempt.update(ended=time.monotonic(), status=status, error=error,
                               change_set=(answer or {}).get("changeSetId"),
                               restarts=[r["service"] for r in (answer or {}).get("restarts", [])])
            if not ok(status):
                time.sleep(0.1)

    def fetcher(self, service):
        while not self.stop.is_set():
            fetch = {"started": time.monotonic(), "at": None, "status": None}
            with self.lock:
                self.fetches.append(fetch)
            status, answer, error = call("GET", GATEWAY + "/v1/env?format=json", self.tokens[service])
            ended = time.monotonic()
            wrong, stale, half = self.judge(answer or {}, fetch["started"], ended) if ok(status) else (0, 0, 0)
            with self.lock:
                fetch.update(at=ended, status=status, error=error, wrong=wrong, stale=stale, half=half)
            if not ok(status):
                time.sleep(0.1)

    def recovered(self, since):
        with self.lock:
            return (settled([(a["started"], a["ended"], a["status"]) for a in self.attempts], since)
                    and settled([(f["started"], f["at"], f["status"]) for f in self.fetches], since))

    def owed(self):
        with self.lock:
            return {(a["change_set"], s) for a in self.attempts if acked(a) and a["change_set"]
                    for s in a["restarts"]}


def set_up(project, receiver):
    must("PUT", "/v1/projects/" + project)
    must("PUT", "/v1/projects/%s/hook-networks" % project, {"allowedPrivate": ["127.0.0.1"]})
    must("PUT", "/v1/projects/%s/environments/prod" % project, {"type": "production"})
    run = Run(project)
    for service in DEPLOYMENTS:
        must("PUT", "/v1/projects/%s/services/%s" % (project, service))
        must("PUT", "/v1/projects/%s/environments/prod/services/%s" % (project, service))
    hook = must("POST", "/v1/projects/%s/hooks" % project,
                {"url": "http://127.0.0.1:%d/hook" % HOOK_PORT, "environments": ["prod"]})
    with receiver.lock:
        receiver.secrets[project] = hook["secret"]
    for service in DEPLOYMENTS:
        run.tokens[service] = must("POST", "/v1/projects/%s/environments/prod/services/%s/tokens"
                                   % (project, service), {"ttlSeconds": 1800})["token"]
    return run


def ps():
    out = subprocess.run([CLUSTER, "ps"], capture_output=True, text=True, check=True).stdout
    return {line.split()[1]: (int(line.split()[2]), line.split()[3]) for line in out.splitlines() if line.strip()}


def vault_node(health):
    for name, (_, address) in sorted(ps().items()):
        if name.startswith("vault-"):
            try:
                with urllib.request.urlopen(address + "/v1/sys/health", timeout=3, context=VAULT_TLS):
                    code = 200
            except urllib.error.HTTPError as e:
                code = e.code
            except OSError:
                code = 0
            if code == health:
                return name
    return None


def target_of(part):
    return {"vault-leader": lambda: vault_node(200), "vault-standby": lambda: vault_node(429),
            "mysql-writer": lambda: "mysql-1", "mysql-backup": lambda: "mysql-2",
            "gateway": lambda: "gateway-2"}[part]()


def heal():
    started = time.monotonic()
    subprocess.run([CLUSTER, "heal"], stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - started


def back_after(events, fault_at):
    failures = [e["at"] for e in events if e["ok"] is False and e["at"] >= fault_at]
    if not failures:
        return "none refused"
    after = [e["at"] for e in events if e["ok"] and e["at"] > failures[-1]]
    return "%.1f s" % (after[0] - fault_at) if after else "not within %.0f s" % (WINDOW + RECOVERY)


def node_sql(node, query):
    """Rows from one MariaDB node, as the local root over its socket; None when it does not answer."""
    done = subprocess.run(["mariadb", "--defaults-file=%s/mysql-%d/my.cnf" % (CLUSTER_DIR, node),
                           "--protocol=socket", "-uroot", "--batch", "--skip-column-names"],
                          input=query, capture_output=True, text=True, timeout=10)
    return [line.split("\t") for line in done.stdout.splitlines()] if done.returncode == 0 else None


def set_desync(node, on_off):
    if node_sql(node, "SET GLOBAL wsrep_desync = %s;" % on_off) is None:
        raise SystemExit("could not set wsrep_desync on mysql-%d" % node)


def writers_while(seconds):
    """The nodes that held the gateways' MySQL sessions at the end of `seconds` (by processlist)."""
    time.sleep(seconds)
    holding = []
    for node in (1, 2, 3):
        rows = node_sql(node, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'vaultgate';")
        if rows and int(rows[0][0]) > 0:
            holding.append("mysql-%d" % node)
    return holding


def one_fault(index, how, part, receiver):
    target = target_of(part)
    if target is None:
        log("%s %s: no such node running; skipped" % (how, part))
        return None
    pid = ps()[target][0]
    run = set_up("f%d%d" % (index, int(time.time()) % 100000), receiver)
    threads = [threading.Thread(target=run.writer)] + [threading.Thread(target=run.fetcher, args=(s,))
                                                        for s in DEPLOYMENTS]
    log("%s %s (%s, pid %d) in project %s" % (how, part, target, pid, run.project))
    for t in threads:
        t.start()
    time.sleep(BASELINE)
    fault_at = time.monotonic()
    moved_to = None
    if how == "kill -9":
        os.kill(pid, signal.SIGKILL)
        time.sleep(WINDOW)
    elif how == "desync 5 s":
        # Up and answering, but not Synced: the balancer's Synced check must take it out.
        node = int(target.split("-")[1])
        set_desync(node, "ON")
        moved_to = writers_while(FREEZE)
        set_desync(node, "OFF")
        time.sleep(max(WINDOW - FREEZE, 0))
    else:
        os.kill(pid, signal.SIGSTOP)
        time.sleep(FREEZE)
        os.kill(pid, signal.SIGCONT)
        time.sleep(max(WINDOW - FREEZE, 0))
    # Keep the load on (bounded) until writes and fetches both succeed again, to time the recovery.
    deadline = time.monotonic() + RECOVERY
    while time.monotonic() < deadline and not run.recovered(fault_at):
        time.sleep(0.5)
    run.stop.set()
    stopped = time.monotonic()
    for t in threads:
        t.join()
    healed = heal()
    deadline = time.monotonic() + DELIVERY_WAIT
    while time.monotonic() < deadline and not run.owed() <= receiver.pairs[run.project]:
        time.sleep(0.5)
    return {"how": how, "part": part, "target": target, "run": run, "fault_at": fault_at, "stopped": stopped,
            "heal_s": healed, "writer": moved_to}


def summarise(result, receiver):
    run, fault_at = result["run"], result["fault_at"]
    attempts = [a for a in run.attempts if a["ended"] is not None]
    # A request begun after the load was told to stop says nothing about the recovery.
    writes = [{"at": a["ended"], "ok": ok(a["status"])} for a in attempts if a["started"] < result["stopped"]]
    fetches = [{"at": f["at"], "ok": ok(f["status"])} for f in run.fetches if f["started"] < result["stopped"]]
    errors = collections.Counter("write " + a["error"] for a in attempts if not ok(a["status"]))
    errors.update("fetch " + f["error"] for f in run.fetches if not ok(f["status"]))
    base = lambda events: sum(1 for e in events if e["ok"] and e["at"] < fault_at) / BASELINE
    window = lambda events: sum(1 for e in events if e["ok"] and fault_at <= e["at"] < fault_at + WINDOW) / WINDOW
    owed = run.owed()
    with receiver.lock:
        delivered = owed & receiver.pairs[run.project]
        duplicates = sum(n - 1 for (p, _), n in receiver.seen.items() if p == run.project and n > 1)
        unsigned = receiver.unsigned[run.project]
    return {
        "fault": "%s %s (%s)" % (result["how"], result["part"], result["target"]),
        "acked": sum(1 for a in attempts if ok(a["status"])),
        "refused": sum(1 for a in attempts if not ok(a["status"])),
        "fetch_ok": sum(1 for f in run.fetches if ok(f["status"])),
        "fetch_refused": sum(1 for f in run.fetches if not ok(f["status"])),
        "wrong": sum(f["wrong"] for f in run.fetches), "stale": sum(f["stale"] for f in run.fetches),
        "half_seen": sum(f["half"] for f in run.fetches),
        "owed": len(owed), "delivered": len(delivered), "duplicates": duplicates, "unsigned": unsigned,
        "errors": ", ".join("%s ×%d" % (e, n) for e, n in errors.most_common()) or "none",
        "writes_per_s": "%.1f → %.1f" % (base(writes), window(writes)),
        "back": "%s / %s" % (back_after(writes, fault_at), back_after(fetches, fault_at)),
        "heal_s": result["heal_s"],
    }


# --- Verification pass -----------------------------------------------------------------------

def sql(query):
    """Rows from the first node that answers, as the local root over its socket."""
    for node in (1, 2, 3):
        done = subprocess.run(["mariadb", "--defaults-file=%s/mysql-%d/my.cnf" % (CLUSTER_DIR, node),
                               "--protocol=socket", "-uroot", "--batch", "--skip-column-names", "vaultgate"],
                              input=query, capture_output=True, text=True)
        if done.returncode == 0:
            return [line.split("\t") for line in done.stdout.splitlines()]
    raise SystemExit("no MariaDB node answered the verification query")


def inspect(run):
    """(lost, disagreements): every ack read back three ways, and where the stores disagree."""
    now = time.monotonic()
    lost, disagreements = 0, []
    token = must("POST", "/v1/projects/%s/environments/prod/services/api/tokens" % run.project,
                 {"ttlSeconds": 300})["token"]
    status, env, error = call("GET", GATEWAY + "/v1/env?format=json", token)
    if not ok(status):
        disagreements.append("boot fetch answered %s" % error)
        env = {}
    status, entry, error = call("GET", VAULT + "/v1/vaultgate/data/projects/%s/env/prod" % run.project, ROOT,
                                context=VAULT_TLS)
    vault_fields = (entry or {}).get("data", {}).get("data", {}) or {}
    vault_version = (entry or {}).get("data", {}).get("metadata", {}).get("version")
    rows = sql("SELECT e.vault_version, COALESCE(e.pending_change_set, '') FROM scope_entry e "
               "WHERE e.entry_path = '%s/env/prod';" % run.project)
    mysql_version, pending = (int(rows[0][0]), rows[0][1]) if rows else (None, "")
    mysql_keys = {r[0] for r in sql("SELECT s.key_name FROM secret s JOIN scope_entry e ON e.id = s.scope_entry_id "
                                    "WHERE e.entry_path = '%s/env/prod' AND NOT s.deleted;" % run.project)}
    change_set = vault_fields.get("vaultgate:change-set", "")
    cs_status = sql("SELECT status FROM change_set WHERE id = '%s';" % change_set) if change_set else []
    for n in range(KEYS):
        key = "K%d" % n
        values, must_have = run.allowed(key, now, now)
        if must_have and (env.get(key) not in values or vault_fields.get(key) not in values):
            lost += 1
            log("%s: %s acknowledged, but the balancer %s and Vault %s" % (
                run.project, key, "agrees" if env.get(key) in values else "does not answer it",
                "agrees" if vault_fields.get(key) in values else "does not hold it"))
        if key in vault_fields and key not in mysql_keys:
            disagreements.append("%s in Vault, not in MySQL" % key)
    if mysql_version != vault_version:
        disagreements.append("Vault version %s, MySQL's %s" % (vault_version, mysql_version))
    if pending:
        disagreements.append("pending change-set %s" % pending)
    if change_set and (not cs_status or cs_status[0][0].lower() != "committed"):
        disagreements.append("Vault's change-set %s is %s in MySQL" % (change_set, cs_status or "absent"))
    return lost, disagreements


def verify(runs, receiver, settle):
    """Per run (lost, half-writes left, deliveries late), once the reconciler had `settle` seconds."""
    deadline = time.monotonic() + settle
    found = {}
    for run in runs:
        while True:
            lost, disagreements = inspect(run)
            if not disagreements or time.monotonic() > deadline:
                break
            time.sleep(2)
        for d in disagreements:
            log("%s: %s" % (run.project, d))
        with receiver.lock:
            late = len(run.owed() - receiver.pairs[run.project])
        found[run.project] = (lost, len(disagreements), late)
    return found


# --- Main --------------------------------------------------------------------------------------

def main():
    quick = "--quick" in sys.argv
    parts = ("vault-leader", "vault-standby", "mysql-writer", "mysql-backup", "gateway")
    faults = ([("kill -9", "vault-leader"), ("SIGSTOP 5 s", "mysql-writer")] if quick
              else [(how, part) for part in parts for how in ("kill -9", "SIGSTOP 5 s")]
              + [("desync 5 s", "mysql-writer")])
    only = os.environ.get("ONLY")  # "kill:PART", "stop:PART" or "desync:mysql-writer": one fault
    if only:
        how, part = only.split(":")
        faults = [({"kill": "kill -9", "stop": "SIGSTOP 5 s", "desync": "desync 5 s"}[how], part)]
    receiver = Receiver(HOOK_PORT)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    started = time.monotonic()
    results = []
    for index, (how, part) in enumerate(faults):
        result = one_fault(index, how, part, receiver)
        if result:
            results.append(result)
    log("verification pass over %d projects" % len(results))
    found = verify([r["run"] for r in results], receiver, SETTLE)
    rows = []
    for result in results:
        row = summarise(result, receiver)
        row["lost"], row["half_end"], row["late"] = found[result["run"].project]
        rows.append(row)
    receiver.shutdown()
    if os.environ.get("RAW"):
        dump(results, os.environ["RAW"])
    print_table(rows, time.monotonic() - started)
    for result in results:
        if result["writer"] is not None:
            print("desync of %s: the gateways' MySQL sessions were on %s while it was desynced"
                  % (result["target"], ", ".join(result["writer"]) or "no node"))
    if "--check" in sys.argv:
        failures = check(rows, len(faults) - len(results))
        for failure in failures:
            log("CHECK FAILED: " + failure)
        if failures:
            sys.exit(1)
        log("check passed: nothing lost, half-applied or stale, every restart event delivered")


def check(rows, skipped):
    """What --check fails on: anything but unavailability (refusals and their codes are allowed)."""
    failures = ["%d fault(s) skipped: the part to fault was not running" % skipped] if skipped else []
    for r in rows:
        for what, n in (("acknowledged writes lost", r["lost"]), ("half-writes", r["half_seen"] + r["half_end"]),
                        ("fetches with wrong data", r["wrong"]), ("fetches with stale data", r["stale"]),
                        ("restart events undelivered", r["late"]), ("deliveries unsigned", r["unsigned"])):
            if n:
                failures.append("%s: %d %s" % (r["fault"], n, what))
        if not r["acked"]:
            failures.append("%s: no write was acknowledged" % r["fault"])
    return failures


def dump(results, path):
    """Every request's timing and answer, seconds from the fault; never a value."""
    with open(path, "w") as out:
        for result in results:
            run, at = result["run"], result["fault_at"]
            rel = lambda t: None if t is None else round(t - at, 2)
            json.dump({"fault": "%s %s" % (result["how"], result["part"]), "project": run.project,
                       "writes": [(a["key"], rel(a["started"]), rel(a["ended"]), a["status"], a["error"])
                                  for a in run.attempts],
                       "fetches": [(rel(f["started"]), rel(f["at"]), f["status"], f["error"]) for f in run.fetches]}, out)
            out.write("\n")


def print_table(rows, took):
    print()
    print("Faults under a write burst (one writer, 12 keys of one environment) and a boot-fetch burst")
    print("(two fetchers, one per deployment inheriting it), all through the gateways' balancer;")
    print("baseline %.0f s before each fault, window %.0f s from it; then heal and up to %.0f s for deliveries."
          % (BASELINE, WINDOW, DELIVERY_WAIT))
    print()
    print("| fault | writes acked / refused | acked writes lost | half-writes visible | restart events owed / delivered / duplicates | "
          "boot fetches 200 / refused | 200 with wrong / stale data | error codes clients saw | back after (write / fetch) | "
          "writes/s baseline → window | heal |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| %s | %d / %d | %d | %d | %d / %d / %d | %d / %d | %d / %d | %s | %s | %s | %.0f s |" % (
            r["fault"], r["acked"], r["refused"], r["lost"], r["half_seen"] + r["half_end"],
            r["owed"], r["owed"] - r["late"], r["duplicates"], r["fetch_ok"], r["fetch_refused"],
            r["wrong"], r["stale"], r["errors"], r["back"], r["writes_per_s"], r["heal_s"]))
    print()
    print("lost: an acknowledged value that the final boot fetch or Vault (read directly, root token) does not answer")
    print("half-writes: a refused write's value seen by a fetch, or at the end a key Vault holds that MySQL lacks,")
    print("  versions that differ, a pending marker left, or Vault's change-set not committed in MySQL")
    print("restart events: (change-set, deployment) pairs the acknowledged writes owed; delivered (counted at the end)")
    print("  only by a delivery whose signature verified: %d did not" % sum(r["unsigned"] for r in rows))
    print("  duplicates: a webhook-id received more than once")
    print("stale: a fetch that answered a key older than its last acknowledgement before the fetch began")
    print("back after: from the fault to the first success after the last refusal (the load runs on past the")
    print("  window until both kinds succeed again, %.0f s at most)" % RECOVERY)
    print("heal: scripts/cluster.sh heal after the fault (restart, unseal, rejoin what is not running)")
    print("whole run: %.0f s" % took)


if __name__ == "__main__":
    main()
