"""Concurrent writes through two gateways on two Galera nodes; see scripts/cluster-galera.sh.

The admin token comes from VAULTGATE_TOKEN (never argv). Prints one line per answer kind and
exits 1 on any 5xx (every node is up: a 503 would be a 1213 the gateway did not run again), an
error that is not problem+json, or a write answered 2xx that the boot fetch does not return.
"""
import collections
import concurrent.futures
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request

A, B, ROUNDS = sys.argv[1], sys.argv[2], int(sys.argv[3])
TOKEN = os.environ["VAULTGATE_TOKEN"]


def call(base, method, path, body=None, token=TOKEN):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def ok(base, method, path, body=None):
    code, _, out = call(base, method, path, body)
    if code // 100 != 2:
        sys.exit(f"setup {method} {path} answered {code}: {out[:300]!r}")
    return json.loads(out) if out else None


project = "galera" + str(int(time.time()))
env = f"/v1/projects/{project}/environments/production"
deployment = env + "/services/api"
ok(A, "PUT", f"/v1/projects/{project}")
ok(A, "PUT", env, {"type": "production"})
ok(A, "PUT", f"/v1/projects/{project}/services/api")
ok(A, "PUT", deployment)

received = collections.Counter()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            received[self.headers.get("webhook-id")] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


lock = threading.Lock()
receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
ok(A, "PUT", f"/v1/projects/{project}/hook-networks", {"allowedPrivate": ["127.0.0.1/32"]})
ok(A, "POST", f"/v1/projects/{project}/hooks",
   {"url": f"http://127.0.0.1:{receiver.server_address[1]}/restart"})

answers = collections.Counter()
acknowledged = {}
bad = []


def write(base, name, rnd, barrier):
    key = f"K_{name.upper()}_{rnd}"
    value = secrets.token_hex(8)
    barrier.wait()
    code, ctype, out = call(base, "PUT", f"{env}/secrets/{key}", {"value": value})
    with lock:
        if code // 100 == 2:
            acknowledged[key] = value
            answers[f"{code}"] += 1
            return
        problem = None
        if "problem+json" in ctype:
            problem = json.loads(out).get("code")
        answers[f"{code} {problem}"] += 1
        # Every node is up: a 5xx (503 metadata-unavailable included) is a transaction the gateway
        # should have run again, not a database that is away.
        if problem is None or code >= 500:
            bad.append(f"{key}: {code} {out[:200]!r}")


with concurrent.futures.ThreadPoolExecutor(4) as pool:
    for rnd in range(ROUNDS):
        barrier = threading.Barrier(4)
        futures = [pool.submit(write, base, name, rnd, barrier)
                   for base, name in ((A, "a"), (B, "b"), (A, "c"), (B, "d"))]
        for f in futures:
            f.result()

minted = ok(A, "POST", deployment + "/tokens", {"ttlSeconds": 900})
code, _, out = call(A, "GET", "/v1/env?format=json", token=minted["token"])
if code != 200:
    sys.exit(f"boot fetch answered {code}")
fetched = json.loads(out)
lost = [k for k, v in acknowledged.items() if fetched.get(k) != v]

# Every acknowledged write restarts the one deployment: one event, one delivery, each (by its
# webhook-id) owed to the receiver at least once; bounded wait for the dispatchers.
deadline = time.monotonic() + 90
while time.monotonic() < deadline and len(received) < len(acknowledged):
    time.sleep(1)
with lock:
    distinct, sent = len(received), sum(received.values())

print(f"galera: {ROUNDS * 4} writes, 4 at once per round, two gateways on two nodes")
for kind, n in sorted(answers.items()):
    print(f"galera:   {kind:40} {n}")
print(f"galera:   acknowledged and lost                    {len(lost)}")
print(f"galera: webhook events received {distinct} of {len(acknowledged)} owed, {sent - distinct} sent twice or more")
for line in bad[:10]:
    print("galera: bad answer " + line)
if bad or lost or distinct < len(acknowledged):
    sys.exit(1)
