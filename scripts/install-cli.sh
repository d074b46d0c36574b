#!/usr/bin/env bash
# Installs the vaultgate command: builds the gateway's shaded jar (it holds the CLI) and links
# bin/vaultgate into $PREFIX/bin (default /usr/local/bin). Run it again after pulling changes.
#
#   PREFIX=~/.local scripts/install-cli.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr/local}
./mvnw -B -q -DskipTests package
mkdir -p "$PREFIX/bin"
ln -sf "$PWD/bin/vaultgate" "$PREFIX/bin/vaultgate"

# The first call starts writing the class-data archive that makes later calls start faster
# (see bin/vaultgate); wait for it, so the calls right after installing are fast too.
"$PREFIX/bin/vaultgate" --version >/dev/null
for _ in $(seq 120); do
  compgen -G "target/vaultgate-*-cli-*.jsa.lock" >/dev/null || break
  sleep 0.5
done
echo "install-cli: $PREFIX/bin/vaultgate -> $PWD/bin/vaultgate ($("$PREFIX/bin/vaultgate" --version))"
