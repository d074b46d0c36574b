#!/usr/bin/env bash
# Vaultgate's production shape on loopback, every part a real process:
#   scripts/cluster.sh up|down|status|env|ps|heal|backup DIR|backup-mysql DIR|backup-vault DIR|restore DIR|replace-gateway N
#
#   up      make the TLS CA and certificates, start three OpenBao nodes (one Raft cluster, from
#           vault-config/server.hcl), initialise/unseal/configure them (scripts/vault-init.sh),
#           a three-node MariaDB Galera cluster, three gateway replicas, and an HAProxy in front
#           of each tier. Idempotent: starts only what is not running. Bounded: every wait has
#           a deadline (VAULTGATE_CLUSTER_TIMEOUT, default 180 s per step).
#   heal    start (and unseal, rejoin) whatever is not running, as `up` does, without building
#   down    stop everything: gateways, balancers, MariaDB, OpenBao (TERM, then KILL after 20 s)
#   status  what is up, per part
#   env     export lines for a shell: VAULTGATE_ADDR, VAULTGATE_TOKEN (admin), VAULT_ADDR,
#           VAULT_TOKEN (root: this loopback cluster only), VAULT_CACERT
#   ps      one line per process: KIND NAME PID ADDRESS (KIND vault|mysql|check|gateway|lb)
#   replace-gateway N  drain gateway-N in the balancer, wait (bounded, VAULTGATE_DRAIN_TIMEOUT,
#           default 30 s) until it serves no request, stop it (SIGTERM: it finishes what is in
#           flight) and start it again (from VAULTGATE_JAR, with this shell's environment, e.g.
#           FLYWAY_DATASOURCES_DEFAULT_LOCATIONS): one step of a rolling upgrade
#   backup DIR   a consistent MySQL dump, then a Raft snapshot, while writes go on, and the Vault
#           keys the snapshot needs (DIR is owner-only: it holds the unseal keys and root token)
#   backup-mysql DIR, backup-vault DIR  the two halves of backup, in that order, for a schedule
#           (or a check, scripts/backup-restore-check.sh) that puts something between them
#   restore DIR  into this cluster (VAULTGATE_CLUSTER_DIR; made when missing): Vault from the
#           snapshot, MySQL from the dump, then the gateways, whose reconciler settles the rest
#
# State (data, logs, keys, certificates) lives in VAULTGATE_CLUSTER_DIR (default ./.cluster,
# git-ignored). Ports start at VAULTGATE_CLUSTER_PORT_BASE (default 27000): gateways' balancer
# +80 and replicas +81..83; Vault's balancer +200 and nodes +211/221/231 (cluster port +1);
# MySQL's balancer +300 and nodes +311/321/331 (Galera, IST, SST: the node's port +1, +2, +3;
# its Synced check, scripts/galera-check.py, +4). Each balancer's admin socket is lb/TIER.sock.
# Missing packages (haproxy, galera-4, mariadb-server, rsync, openssl, curl, socat) are installed with
# apt-get; `bao` comes from scripts/test-services.sh. The gateway jar is built when missing
# (VAULTGATE_JAR picks one, VAULTGATE_BUILD_DIR the build folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${VAULTGATE_CLUSTER_DIR:-$PWD/.cluster}
base=${VAULTGATE_CLUSTER_PORT_BASE:-27000}
step_timeout=${VAULTGATE_CLUSTER_TIMEOUT:-180}
nodes=(1 2 3)
export DEBIAN_FRONTEND=noninteractive

gateway_lb_port=$((base + 80))
vault_lb_port=$((base + 200))
mysql_lb_port=$((base + 300))
gateway_port() { echo $((base + 80 + $1)); }
vault_port() { echo $((base + 200 + 10 * $1 + 1)); }
mysql_port() { echo $((base + 300 + 10 * $1 + 1)); }
galera_port() { echo $((base + 300 + 10 * $1 + 2)); }
check_port() { echo $((base + 300 + 10 * $1 + 5)); }

tls=$dir/tls
keys=$dir/keys
pids=$dir/pids

say() { echo "cluster: $*"; }
die() { echo "cluster: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Processes: each part runs in a session of its own; its pid, kind and address are files in
# $pids, so ps/status/down/heal work from any shell.
# ---------------------------------------------------------------------------------------------
pid_of() { cat "$pids/$1.pid" 2>/dev/null || true; }
running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

launch() { # NAME KIND ADDRESS LOG COMMAND...
  local name=$1 kind=$2 address=$3 log=$4
  shift 4
  mkdir -p "$pids"
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo $! > "$pids/$name.pid"
  echo "$kind $address" > "$pids/$name.what"
}

# A port someone else holds is said at once, rather than as a part that never becomes ready.
need_ports() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is in use by another process (VAULTGATE_CLUSTER_PORT_BASE moves every port)"
    fi
  done
}

stop() { # NAME: TERM, then KILL after 20 s
  local name=$1 pid i
  pid=$(pid_of "$name")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name did not stop in 20 s: kill -9"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pids/$name.pid"
}

wait_until() { # WHAT COMMAND...: bounded by the step timeout
  local what=$1 deadline=$((SECONDS + step_timeout))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${step_timeout}s waiting for $what"
    sleep 0.5
  done
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$@" 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
ensure_tools() {
  local missing=()
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server mariadb-client)
  [ -f /usr/lib/galera/libgalera_smm.so ] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v socat >/dev/null 2>&1 || missing+=(socat)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
    say "installing ${missing[*]} with apt-get"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  fi
  command -v bao >/dev/null 2>&1 || command -v vault >/dev/null 2>&1 \
    || die "neither bao nor vault is on PATH (scripts/test-services.sh installs bao)"
  command -v java >/dev/null 2>&1 || die "java is not on PATH (JDK 17)"
  export PATH=$PATH:/usr/sbin
}

jar() {
  if [ -n "${VAULTGATE_JAR:-}" ]; then
    echo "$VAULTGATE_JAR"
    return
  fi
  local build=${VAULTGATE_BUILD_DIR:-target}
  ls "$root/$build"/vaultgate-*.jar 2>/dev/null | grep -v -e original- -e '-cli' | head -n 1
}

ensure_jar() {
  if [ -z "$(jar)" ]; then
    local build=${VAULTGATE_BUILD_DIR:-target}
    say "building the gateway jar into $build/"
    (cd "$root" && ./mvnw -B -q -DskipTests package -Dvaultgate.build.dir="$build") >"$dir/build.log" 2>&1 \
      || die "the build failed; see $dir/build.log"
  fi
  [ -f "$(jar)" ] || die "no gateway jar (VAULTGATE_JAR or ${VAULTGATE_BUILD_DIR:-target}/vaultgate-*.jar)"
}

ensure_certs() {
  "$root/scripts/tls-certs.sh" "$tls" vault-1 vault-2 vault-3 mysql-1 mysql-2 mysql-3 >/dev/null
}

# ---------------------------------------------------------------------------------------------
# OpenBao: three Raft nodes rendered from vault-config/server.hcl, unsealed by vault-init.sh
# ---------------------------------------------------------------------------------------------
vault_addr() { echo "https://127.0.0.1:$(vault_port "$1")"; }

# The audit file every node declares. A restored snapshot stores its source's audit device, and a
# node whose declared device differs cannot become active: a restored cluster keeps its source's
# path (restore writes it to $dir/audit-path).
audit_log() {
  if [ -s "$dir/audit-path" ]; then cat "$dir/audit-path"; else echo "$dir/vault-audit.log"; fi
}

start_vault() {
  local i=$1 name=vault-$1 node_dir=$dir/vault-$1 bin peers=()
  running "$name" && return 0
  for n in "${nodes[@]}"; do peers+=("$(vault_addr "$n")"); done
  # One audit path for all nodes: OpenBao checks a declared audit device against what the cluster
  # stored, and a standby whose file_path differs cannot become active. Only the active node
  # writes it, so on one machine the nodes share the file.
  mkdir -p "$node_dir/data"
  "$root/vault-config/render-server.sh" "$name" 127.0.0.1 "$(vault_port "$i")" $(($(vault_port "$i") + 1)) \
    "$node_dir/data" "$tls" "$name" "$(audit_log)" "${peers[@]}" > "$node_dir/server.hcl"
  need_ports "$(vault_port "$i")" $(($(vault_port "$i") + 1))
  bin=$(command -v bao || command -v vault)
  # The server must not pick up a client's settings from this shell.
  launch "$name" vault "$(vault_addr "$i")" "$node_dir/server.log" \
    env -u VAULT_ADDR -u VAULT_TOKEN -u BAO_ADDR -u BAO_TOKEN "$bin" server -config="$node_dir/server.hcl"
  say "started $name on $(vault_addr "$i")"
}

ensure_vault() {
  local addrs=()
  for i in "${nodes[@]}"; do
    start_vault "$i"
    addrs+=("$(vault_addr "$i")")
  done
  VAULT_CACERT=$tls/ca.crt VAULT_INIT_TIMEOUT=$step_timeout "$root/scripts/vault-init.sh" "$keys" "${addrs[@]}" \
    | sed 's/^/  /'
}

# ---------------------------------------------------------------------------------------------
# MariaDB Galera: three nodes; the gateways write through one of them at a time (HAProxy below)
# ---------------------------------------------------------------------------------------------
mysql_cnf() {
  local i=$1 node_dir=$dir/mysql-$1 g
  g=$(galera_port "$i")
  cat <<EOF
[mysqld]
user = $(db_os_user)
datadir = $node_dir/data
socket = $node_dir/mysqld.sock
pid-file = $node_dir/mysqld.pid
log-error = $node_dir/error.log
port = $(mysql_port "$i")
bind-address = 127.0.0.1
skip-name-resolve
innodb_buffer_pool_size = 64M
max_connections = 200
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
ssl_ca = $tls/ca.crt
ssl_cert = $tls/mysql-$i.crt
ssl_key = $tls/mysql-$i.key
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = vaultgate-loopback
wsrep_cluster_address = gcomm://127.0.0.1:$(galera_port 1),127.0.0.1:$(galera_port 2),127.0.0.1:$(galera_port 3)
wsrep_node_name = mysql-$i
wsrep_node_address = 127.0.0.1:$g
wsrep_provider_options = "base_port=$g;gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=64M"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$((g + 2))
[sst]
# State transfers stay on loopback unencrypted (encrypting them needs stunnel); clients use TLS.
ssl-mode = DISABLED
[client]
socket = $node_dir/mysqld.sock
EOF
}

# As root, MariaDB runs as the mysql user: the rsync daemon of a state transfer, started as root,
# would drop to nobody and could not write the joiner's data.
db_os_user() {
  if [ "$(id -u)" -eq 0 ] && id mysql >/dev/null 2>&1; then echo mysql; else id -un; fi
}

sql() { # NODE SQL: as the local root over the node's socket; the SQL on stdin, never in argv
  printf '%s\n' "$2" | mariadb --defaults-file="$dir/mysql-$1/my.cnf" --protocol=socket -uroot --batch --skip-column-names
}

synced() { [ "$(sql "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = Synced ]; }
synced_or_gone() { synced "$1" || ! running "mysql-$1"; }

await_synced() {
  wait_until "mysql-$1 to be Synced (see $dir/mysql-$1/error.log)" synced_or_gone "$1"
  running "mysql-$1" || die "mysql-$1 exited; see $dir/mysql-$1/error.log"
}

# A node that crashed rejoins by IST from the position InnoDB recovered, not a full SST.
recovered_position() {
  local i=$1 node_dir=$dir/mysql-$1
  [ -f "$node_dir/data/grastate.dat" ] || return 0
  timeout 60 mariadbd --defaults-file="$node_dir/my.cnf" --wsrep-recover --log-error="$node_dir/recover.log" \
    >/dev/null 2>&1 || true
  grep -o 'Recovered position: [^ ]*' "$node_dir/recover.log" 2>/dev/null | tail -n 1 | sed 's/Recovered position: //'
}

start_mysql() { # NODE [bootstrap]
  local i=$1 mode=${2:-join} node_dir=$dir/mysql-$1 args=() position
  running "mysql-$i" && return 0
  need_ports "$(mysql_port "$i")" "$(galera_port "$i")" $(($(galera_port "$i") + 1)) $(($(galera_port "$i") + 2))
  mkdir -p "$node_dir"
  mysql_cnf "$i" > "$node_dir/my.cnf"
  chown -R "$(db_os_user)" "$node_dir" "$tls/mysql-$i.key"
  if [ ! -d "$node_dir/data/mysql" ]; then
    mariadb-install-db --defaults-file="$node_dir/my.cnf" --auth-root-authentication-method=socket \
      --skip-test-db >"$node_dir/install.log" 2>&1 || die "mariadb-install-db failed; see $node_dir/install.log"
  fi
  if [ "$mode" = bootstrap ]; then
    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$node_dir/data/grastate.dat" 2>/dev/null || true
    args+=(--wsrep-new-cluster)
  else
    position=$(recovered_position "$i")
    [ -n "$position" ] && args+=(--wsrep_start_position="$position")
  fi
  launch "mysql-$i" mysql "127.0.0.1:$(mysql_port "$i")" "$node_dir/mariadbd.out" \
    mariadbd --defaults-file="$node_dir/my.cnf" "${args[@]}"
  say "started mysql-$i on 127.0.0.1:$(mysql_port "$i") ($mode${position:+ from $position})"
}

# Which node may found the cluster when none runs: the one Galera marked safe (the last to stop),
# else the one with the highest recovered seqno.
bootstrap_node() {
  local i best=1 best_seqno=-2 seqno
  for i in "${nodes[@]}"; do
    if grep -q '^safe_to_bootstrap: 1' "$dir/mysql-$i/data/grastate.dat" 2>/dev/null; then
      echo "$i"
      return
    fi
  done
  for i in "${nodes[@]}"; do
    [ -f "$dir/mysql-$i/data/grastate.dat" ] || continue
    mysql_cnf "$i" > "$dir/mysql-$i/my.cnf"
    seqno=$(recovered_position "$i" | sed 's/.*://')
    if [ -n "$seqno" ] && [ "$seqno" -gt "$best_seqno" ]; then best=$i best_seqno=$seqno; fi
  done
  echo "$best"
}

ensure_mysql() {
  local i any=0 first
  for i in "${nodes[@]}"; do running "mysql-$i" && any=1; done
  if [ $any -eq 0 ]; then
    first=$(bootstrap_node)
    start_mysql "$first" bootstrap
    await_synced "$first"
  fi
  for i in "${nodes[@]}"; do
    if ! running "mysql-$i"; then
      start_mysql "$i"
      await_synced "$i"
    fi
  done
  ensure_database
}

ensure_database() {
  local i writer=""
  for i in "${nodes[@]}"; do synced "$i" && { writer=$i; break; }; done
  [ -n "$writer" ] || die "no MariaDB node is Synced"
  umask 077
  [ -s "$keys/mysql-password" ] || { mkdir -p "$keys"; openssl rand -hex 24 > "$keys/mysql-password"; }
  # CREATE USER and GRANT are replicated by Galera (total order isolation).
  sql "$writer" "CREATE DATABASE IF NOT EXISTS vaultgate CHARACTER SET utf8mb4;
    CREATE USER IF NOT EXISTS 'vaultgate'@'127.0.0.1' IDENTIFIED BY '$(cat "$keys/mysql-password")';
    GRANT ALL PRIVILEGES ON vaultgate.* TO 'vaultgate'@'127.0.0.1';" \
    || die "could not create the vaultgate database and user"
}

# The writer balancer's health check, one per node (HAProxy's own mysql-check sees a handshake,
# which a desynced, donor or non-Primary node still answers).
start_galera_check() {
  local i=$1 name=check-mysql-$1
  running "$name" && return 0
  need_ports "$(check_port "$i")"
  launch "$name" check "http://127.0.0.1:$(check_port "$i")" "$dir/mysql-$i/check.log" \
    python3 "$root/scripts/galera-check.py" "$(check_port "$i")" "$dir/mysql-$i/my.cnf"
}

ensure_galera_checks() {
  local i
  for i in "${nodes[@]}"; do start_galera_check "$i"; done
  for i in "${nodes[@]}"; do
    wait_until "check-mysql-$i to answer" bash -c "curl -s -o /dev/null --max-time 3 http://127.0.0.1:$(check_port "$i")/"
  done
}

# ---------------------------------------------------------------------------------------------
# HAProxy: one process per tier, each with an admin socket (drain, state) in $dir/lb
# ---------------------------------------------------------------------------------------------
lb_common() { # TIER
  cat <<EOF
global
  maxconn 4096
  stats socket $dir/lb/$1.sock mode 600 level admin
defaults
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout check 2s
  retries 2
  option redispatch
EOF
}

vault_lb_cfg() {
  lb_common vault
  # TCP pass-through: clients verify the node's own certificate against the CA. The health check
  # speaks TLS and HTTP to each node and sends traffic only to the active one (200; a standby
  # answers 429, a sealed node 503).
  cat <<EOF
frontend vault
  mode tcp
  bind 127.0.0.1:$vault_lb_port
  default_backend vault_active
backend vault_active
  mode tcp
  option httpchk GET /v1/sys/health
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions check check-ssl verify required ca-file $tls/ca.crt
EOF
  for i in "${nodes[@]}"; do echo "  server vault-$i 127.0.0.1:$(vault_port "$i")"; done
}

mysql_lb_cfg() {
  lb_common mysql
  # Single writer: every gateway's SQL goes to mysql-1 while it is up, else to the first backup.
  # Galera certifies writes to one row from two nodes at commit (one fails, 1213), and SKIP LOCKED
  # sees only this node's locks, so writing through two nodes at once would break both. A node is
  # a writer only while its check (scripts/galera-check.py, HTTP on its own port) says it is
  # Synced in the Primary component, as clustercheck does.
  cat <<EOF
frontend mysql
  mode tcp
  bind 127.0.0.1:$mysql_lb_port
  default_backend galera_writer
backend galera_writer
  mode tcp
  option httpchk GET /
  http-check expect status 200
  default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions check
  server mysql-1 127.0.0.1:$(mysql_port 1) port $(check_port 1) on-marked-up shutdown-backup-sessions
  server mysql-2 127.0.0.1:$(mysql_port 2) port $(check_port 2) backup
  server mysql-3 127.0.0.1:$(mysql_port 3) port $(check_port 3) backup
EOF
}

gateway_lb_cfg() {
  lb_common gateway
  # Retries and redispatch only ever resend a request that never reached a replica (HAProxy
  # retries on connection failure by default). X-Real-IP: the gateway counts unknown tokens per
  # client address (vaultgate.auth.client-address-header).
  cat <<EOF
frontend gateway
  mode http
  bind 127.0.0.1:$gateway_lb_port
  timeout client 90s
  http-request set-header X-Real-IP %[src]
  default_backend gateways
backend gateways
  mode http
  balance roundrobin
  timeout server 90s
  option httpchk GET /health/readiness
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions check
EOF
  for i in "${nodes[@]}"; do echo "  server gateway-$i 127.0.0.1:$(gateway_port "$i")"; done
}

start_lb() { # TIER PORT
  local tier=$1 port=$2 cfg=$dir/lb/$1.cfg
  running "lb-$tier" && return 0
  mkdir -p "$dir/lb"
  "${tier}_lb_cfg" > "$cfg"
  haproxy -c -q -f "$cfg" || die "haproxy refused $cfg"
  need_ports "$port"
  launch "lb-$tier" lb "127.0.0.1:$port" "$dir/lb/$tier.log" haproxy -db -f "$cfg"
  sleep 0.5
  running "lb-$tier" || die "lb-$tier exited; see $dir/lb/$tier.log"
  say "started lb-$tier on 127.0.0.1:$port"
}

# ---------------------------------------------------------------------------------------------
# Gateways
# ---------------------------------------------------------------------------------------------
db_url() { # [PORT]: the writer balancer unless a node's port is given
  # Connector/J verifies MariaDB's certificate against the cluster CA (VERIFY_CA: HAProxy passes
  # TLS through, and the node's name is not what the client dialled).
  echo "jdbc:mysql://127.0.0.1:${1:-$mysql_lb_port}/vaultgate?sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=file:$tls/truststore.p12&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=changeit"
}

ensure_truststore() {
  [ -s "$tls/truststore.p12" ] && return 0
  keytool -importcert -noprompt -alias vaultgate-loopback-ca -file "$tls/ca.crt" \
    -keystore "$tls/truststore.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1
}

start_gateway() { # N [DB_PORT [VAULT_PORT]]: the balancers unless a node's port is given
  local i=$1 name=gateway-$1 node_dir=$dir/gateway-$1 db_port=${2:-} vault_at=${3:-$vault_lb_port}
  running "$name" && return 0
  need_ports "$(gateway_port "$i")"
  mkdir -p "$node_dir" "$keys"
  [ -s "$keys/console-session-key" ] || (umask 077; openssl rand -base64 32 > "$keys/console-session-key")
  # The README's production JVM options. The token and the password are exported in a subshell,
  # never passed as arguments: every user can read a process's arguments.
  (
    export MICRONAUT_ENVIRONMENTS=production VAULT_ADDR="https://127.0.0.1:$vault_at" VAULT_CACERT="$tls/ca.crt"
    VAULT_TOKEN=$(cat "$keys/gateway-token")
    VAULTGATE_DB_PASSWORD=$(cat "$keys/mysql-password")
    export VAULT_TOKEN VAULTGATE_DB_PASSWORD VAULTGATE_DB_URL="$(db_url $db_port)" VAULTGATE_DB_USER=vaultgate
    export VAULTGATE_PORT="$(gateway_port "$i")" MICRONAUT_SERVER_HOST=127.0.0.1
    export VAULTGATE_AUTH_CLIENT_ADDRESS_HEADER=X-Real-IP
    # The console's session key, the same on every replica so a session works on whichever answers.
    VAULTGATE_CONSOLE_SESSION_KEY=$(cat "$keys/console-session-key")
    export VAULTGATE_CONSOLE_SESSION_KEY
    unset BAO_ADDR BAO_TOKEN
    launch "$name" gateway "http://127.0.0.1:$(gateway_port "$i")" "$node_dir/gateway.log" \
      java -Xms64m -Xmx192m -Xss512k -XX:MaxMetaspaceSize=128m -XX:MaxDirectMemorySize=64m \
      -XX:+UseSerialGC -Dhttp.maxConnections=64 -jar "$(jar)"
  )
  say "started $name on http://127.0.0.1:$(gateway_port "$i")"
}

gateway_ready() { [ "$(http_code "http://127.0.0.1:$(gateway_port "$1")/health/readiness")" = 200 ]; }
gateway_gone_or_ready() { gateway_ready "$1" || ! running "gateway-$1"; }

await_gateway() {
  wait_until "gateway-$1 to be ready (see $dir/gateway-$1/gateway.log)" gateway_gone_or_ready "$1"
  running "gateway-$1" || die "gateway-$1 exited; see $dir/gateway-$1/gateway.log"
}

ensure_gateways() {
  local i
  ensure_truststore
  # All at once, on a fresh schema too: one replica migrates while the others wait for its lock
  # (database.MigrationLock; Flyway's own lock is off on Galera).
  for i in "${nodes[@]}"; do start_gateway "$i"; done
  for i in "${nodes[@]}"; do await_gateway "$i"; done
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
ensure_all() {
  mkdir -p "$dir"
  # Traversable, not listable, for MariaDB's own user; keys/ and the private keys stay owner-only.
  chmod 711 "$dir"
  ensure_certs
  chmod 711 "$tls"
  ensure_vault
  start_lb vault "$vault_lb_port"
  ensure_mysql
  ensure_galera_checks
  start_lb mysql "$mysql_lb_port"
  ensure_gateways
  start_lb gateway "$gateway_lb_port"
  wait_until "the gateways' balancer to answer" \
    bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://127.0.0.1:$gateway_lb_port/health/readiness)\" = 200 ]"
}

cmd_up() {
  ensure_tools
  mkdir -p "$dir"
  ensure_jar
  ensure_all
  say "up: gateways at http://127.0.0.1:$gateway_lb_port (eval \"\$($root/scripts/cluster.sh env)\")"
}

cmd_heal() {
  ensure_tools
  [ -d "$dir" ] || die "no cluster in $dir: run '$0 up' first"
  ensure_all
  say "healed"
}

cmd_down() {
  local name
  for name in gateway-1 gateway-2 gateway-3 gateway-4 gateway-5 lb-gateway lb-vault lb-mysql check-mysql-1 check-mysql-2 \
    check-mysql-3 mysql-3 mysql-2 mysql-1 vault-3 vault-2 vault-1; do
    if running "$name"; then
      stop "$name"
      say "stopped $name"
    fi
    rm -f "$pids/$name.pid"
  done
}

cmd_ps() {
  local f name kind address pid
  for f in "$pids"/*.what; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .what)
    read -r kind address < "$f"
    running "$name" || continue
    pid=$(pid_of "$name")
    echo "$kind $name $pid $address"
  done
}

cmd_status() {
  local i code state
  for i in "${nodes[@]}"; do
    code=$(http_code --cacert "$tls/ca.crt" "$(vault_addr "$i")/v1/sys/health")
    case "$code" in
      200) state=active ;; 429) state=standby ;; 503) state=sealed ;; 501) state=uninitialised ;; *) state=down ;;
    esac
    echo "vault-$i    $state"
  done
  for i in "${nodes[@]}"; do
    if running "mysql-$i"; then
      state=$(sql "$i" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)
      echo "mysql-$i    ${state:-starting} (cluster size $(sql "$i" "SHOW STATUS LIKE 'wsrep_cluster_size'" 2>/dev/null | cut -f2))"
    else
      echo "mysql-$i    down"
    fi
  done
  for i in "${nodes[@]}"; do
    if gateway_ready "$i"; then echo "gateway-$i  ready"; elif running "gateway-$i"; then echo "gateway-$i  not ready"; else echo "gateway-$i  down"; fi
  done
  for i in "${nodes[@]}"; do
    if running "check-mysql-$i"; then
      echo "check-mysql-$i  $(curl -s --max-time 3 "http://127.0.0.1:$(check_port "$i")/" || echo 'no answer')"
    else
      echo "check-mysql-$i  down"
    fi
  done
  for tier in vault mysql gateway; do
    if running "lb-$tier"; then echo "lb-$tier  up"; else echo "lb-$tier  down"; fi
  done
}

cmd_env() {
  [ -s "$keys/admin-token" ] || die "no cluster in $dir: run '$0 up' first"
  echo "export VAULTGATE_ADDR=http://127.0.0.1:$gateway_lb_port"
  echo "export VAULTGATE_TOKEN=$(cat "$keys/admin-token")"
  echo "export VAULT_ADDR=https://127.0.0.1:$vault_lb_port"
  echo "export VAULT_TOKEN=$(cat "$keys/root-token")"
  echo "export VAULT_CACERT=$tls/ca.crt"
  echo "export BAO_CACERT=$tls/ca.crt"
  echo "unset BAO_ADDR BAO_TOKEN"
}

# ---------------------------------------------------------------------------------------------
# Backup and restore: MySQL first, then Vault
# ---------------------------------------------------------------------------------------------
# The dump is taken before the snapshot. A change-set commits in MySQL only after its Vault
# version landed, so every change-set the dump holds as committed has its version in the later
# snapshot. What happens between the two is in Vault alone: versions no committed change-set
# names (never served: readers read the version MySQL acknowledged) or versions of change-sets the
# dump holds as pending (the reconciler finds its id in the entry and rolls it forward, or aborts
# it when the entry does not carry it). Taken the other way round, a change-set committed after
# the snapshot would name a version the restored Vault lacks.
vault_cli() { # the bao CLI against the active node, with the root token in its environment only
  env -u BAO_ADDR -u BAO_TOKEN VAULT_ADDR="https://127.0.0.1:$vault_lb_port" VAULT_CACERT="$tls/ca.crt"     BAO_CACERT="$tls/ca.crt" VAULT_TOKEN="$(cat "$keys/root-token")" "$(command -v bao || command -v vault)" "$@"
}

writer_node() {
  local i
  for i in "${nodes[@]}"; do synced "$i" && { echo "$i"; return; }; done
  die "no MariaDB node is Synced"
}

vault_lb_answers() { [ "$(http_code --cacert "$tls/ca.crt" "https://127.0.0.1:$vault_lb_port/v1/sys/health")" = 200 ]; }

backup_mysql() { # DEST: the dump alone (the first half of a backup)
  local dest=$1 writer
  [ -s "$keys/root-token" ] || die "no cluster in $dir"
  export PATH=$PATH:/usr/sbin
  umask 077
  mkdir -p "$dest"
  writer=$(writer_node)
  # One consistent read view of InnoDB, no table locks: writes go on while it runs.
  mariadb-dump --defaults-file="$dir/mysql-$writer/my.cnf" --protocol=socket -uroot \
    --single-transaction --skip-lock-tables --databases vaultgate > "$dest/mysql.sql.tmp"
  mv "$dest/mysql.sql.tmp" "$dest/mysql.sql"
  say "dumped MySQL (mysql-$writer) at $(date -u +%H:%M:%S.%N | cut -c1-12) into $dest/mysql.sql"
}

backup_vault() { # DEST: the snapshot and the keys it needs (the second half, after the dump)
  local dest=$1
  [ -s "$dest/mysql.sql" ] || die "no dump in $dest: the dump comes first"
  umask 077
  # A leader election in progress (the leader just died) is waited out rather than failed.
  wait_until "an active OpenBao node behind the balancer" vault_lb_answers
  vault_cli operator raft snapshot save "$dest/vault.snap"
  say "saved the Raft snapshot at $(date -u +%H:%M:%S.%N | cut -c1-12) into $dest/vault.snap"
  # A forced restore brings the source cluster's keyring: only its unseal keys open it, and the
  # tokens it issued are the ones it knows. Secrets: the directory is owner-only.
  audit_log > "$dest/audit-path"
  mkdir -p "$dest/keys"
  cp "$keys/init.json" "$keys/root-token" "$keys/gateway-token" "$keys/admin-token" "$dest/keys/"
  say "backup complete: $dest (holds the unseal keys and root token: keep it as you keep them)"
}

cmd_backup() { # DEST
  local dest=${1:-}
  [ -n "$dest" ] || die "usage: $0 backup DEST_DIR"
  backup_mysql "$dest"
  backup_vault "$dest"
}

all_vault_sealed() {
  local i
  for i in "${nodes[@]}"; do
    [ "$(http_code --cacert "$tls/ca.crt" "$(vault_addr "$i")/v1/sys/health")" = 503 ] || return 1
  done
}

cmd_restore() { # SRC: into the cluster of $dir, made fresh when it does not exist
  local src=${1:-} writer i
  [ -n "$src" ] && [ -s "$src/mysql.sql" ] && [ -s "$src/vault.snap" ] || die "usage: $0 restore BACKUP_DIR"
  ensure_tools
  mkdir -p "$dir"
  [ -s "$dir/audit-path" ] || cp "$src/audit-path" "$dir/audit-path"
  ensure_jar
  chmod 711 "$dir"
  ensure_certs
  chmod 711 "$tls"
  ensure_vault
  start_lb vault "$vault_lb_port"
  ensure_mysql
  ensure_galera_checks
  start_lb mysql "$mysql_lb_port"
  for i in "${nodes[@]}"; do stop "gateway-$i"; done
  wait_until "the Vault balancer to reach the active node" \
    bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert $tls/ca.crt https://127.0.0.1:$vault_lb_port/v1/sys/health)\" = 200 ]"
  vault_cli operator raft snapshot restore -force "$src/vault.snap"
  say "restored the Raft snapshot"
  # The nodes seal themselves a moment after the restore (the keyring is now the source's): wait
  # for it, or vault-init would take a node about to seal for unsealed.
  wait_until "the nodes to seal after the restore" all_vault_sealed
  # The restored keyring is the source cluster's: its keys unseal it, its tokens are valid in it.
  umask 077
  cp "$src/keys/"* "$keys/"
  VAULT_CACERT=$tls/ca.crt VAULT_INIT_TIMEOUT=$step_timeout "$root/scripts/vault-init.sh" "$keys" \
    "$(vault_addr 1)" "$(vault_addr 2)" "$(vault_addr 3)" | sed 's/^/  /'
  writer=$(writer_node)
  sql "$writer" "DROP DATABASE IF EXISTS vaultgate;" || die "could not drop the vaultgate database"
  mariadb --defaults-file="$dir/mysql-$writer/my.cnf" --protocol=socket -uroot < "$src/mysql.sql" \
    || die "could not load $src/mysql.sql"
  ensure_database
  say "loaded the MySQL dump"
  ensure_gateways
  start_lb gateway "$gateway_lb_port"
  say "restored: gateways at http://127.0.0.1:$gateway_lb_port; the reconciler settles what was pending"
}

lb_admin() { # TIER COMMAND: one command on the balancer's admin socket
  printf '%s\n' "$2" | socat -t 2 stdio "unix-connect:$dir/lb/$1.sock"
}

# Requests the balancer has in flight on one replica (scur in `show stat`).
gateway_sessions() { lb_admin gateway "show stat" | awk -F, -v s="gateway-$1" '$1 == "gateways" && $2 == s { print $5 }'; }
gateway_idle() { [ "$(gateway_sessions "$1")" = 0 ]; }

cmd_replace_gateway() { # N: drain one replica, stop it, start it again from $(jar), with this shell's environment
  local i=${1:-} deadline
  [[ $i =~ ^[123]$ ]] || die "usage: $0 replace-gateway 1|2|3"
  if running lb-gateway && [ ! -S "$dir/lb/gateway.sock" ]; then
    say "lb-gateway has no admin socket (started by an older cluster.sh): gateway-$i is stopped undrained"
  fi
  if running lb-gateway && [ -S "$dir/lb/gateway.sock" ]; then
    # Drained, the replica gets no new request; the balancer's checks go on, so it is not marked
    # down (which would cut the requests in flight: on-marked-down shutdown-sessions).
    lb_admin gateway "set server gateways/gateway-$i state drain" >/dev/null
    deadline=$((SECONDS + ${VAULTGATE_DRAIN_TIMEOUT:-30}))
    until gateway_idle "$i"; do
      if [ $SECONDS -ge $deadline ]; then
        say "gateway-$i still had $(gateway_sessions "$i") request(s) in flight after the drain timeout"
        break
      fi
      sleep 0.2
    done
  fi
  # SIGTERM: the gateway answers what it still has in flight (micronaut.lifecycle.graceful-shutdown)
  stop "gateway-$i"
  start_gateway "$i"
  await_gateway "$i"
  if running lb-gateway && [ -S "$dir/lb/gateway.sock" ]; then
    lb_admin gateway "set server gateways/gateway-$i state ready" >/dev/null
  fi
  say "replaced gateway-$i"
}

# Sourced (scripts/cluster-galera.sh), it only defines its functions.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-}" in
  up) cmd_up ;;
  replace-gateway) cmd_replace_gateway "${2:-}" ;;
  backup) cmd_backup "${2:-}" ;;
  backup-mysql) [ -n "${2:-}" ] || die "usage: $0 backup-mysql DEST_DIR"; backup_mysql "$2" ;;
  backup-vault) [ -n "${2:-}" ] || die "usage: $0 backup-vault DEST_DIR"; backup_vault "$2" ;;
  restore) cmd_restore "${2:-}" ;;
  heal) cmd_heal ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  ps) cmd_ps ;;
  *) echo "usage: $0 up|down|status|env|ps|heal|backup DIR|backup-mysql DIR|backup-vault DIR|restore DIR|replace-gateway N" >&2; exit 2 ;;
esac
