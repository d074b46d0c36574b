#!/usr/bin/env bash
# Starts Vaultgate on its embedded default (dev mode): H2 for metadata and an AES-256-GCM
# encrypted local store for values under ./vaultgate-data. No Vault, no MySQL.
# It prints its address and an admin token. Only a JDK 17+ is needed: ./mvnw fetches Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
exec java -jar target/vaultgate-0.1.0-SNAPSHOT.jar "$@"
