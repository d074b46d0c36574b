"""Whether one Galera node may take writes, over HTTP, for HAProxy's `option httpchk` (what
clustercheck does): scripts/cluster.sh starts one per MariaDB node.

    python3 scripts/galera-check.py PORT DEFAULTS_FILE

Every GET asks the node, as the local root over the socket its DEFAULTS_FILE names, for
wsrep_local_state and wsrep_cluster_status, and answers 200 only when the node is Synced (4) in
the Primary component. A node that is up but donor/desynced (2), joining or joined (1, 3), or cut
off from the majority (non-Primary) answers a MySQL handshake like a healthy one, which is all
HAProxy's mysql-check looks at: this answers 503 for it. So does a node that does not answer
within 2 s (frozen, or gone). Listens on 127.0.0.1 only; the answer names the state, nothing else.
"""

import http.server
import subprocess
import sys

QUERY = ("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_cluster_status');\n")
TIMEOUT = 2.0


def node_state(defaults_file):
    """(wsrep_local_state, wsrep_cluster_status), or None when the node did not answer in time."""
    try:
        done = subprocess.run(["mariadb", "--defaults-file=" + defaults_file, "--protocol=socket", "-uroot",
                               "--batch", "--skip-column-names"],
                              input=QUERY, capture_output=True, text=True, timeout=TIMEOUT)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0:
        return None
    status = dict(line.split("\t", 1) for line in done.stdout.splitlines() if "\t" in line)
    return status.get("wsrep_local_state", ""), status.get("wsrep_cluster_status", "")


class Check(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        state = node_state(self.server.defaults_file)
        writable = state == ("4", "Primary")
        body = ("synced\n" if writable else "not synced: %s\n" % (
            "no answer" if state is None else "state %s, cluster %s" % state)).encode()
        self.send_response(200 if writable else 503)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port, defaults_file = int(sys.argv[1]), sys.argv[2]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Check)
    server.daemon_threads = True
    server.defaults_file = defaults_file
    server.serve_forever()


if __name__ == "__main__":
    main()
