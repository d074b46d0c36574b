#!/usr/bin/env bash
# Starts Vaultgate in dev mode (MICRONAUT_ENVIRONMENTS=dev): H2 for metadata and an AES-256-GCM
# encrypted local store for values under ./vaultgate-data (created owner-only). No Vault, no
# MySQL; listens on 127.0.0.1 only (VAULTGATE_HOST changes it, VAULTGATE_PORT the port).
# It prints its address and an admin token. Only a JDK 17+ is needed: ./mvnw fetches Maven.
# Without an environment the gateway refuses to start, so production never falls into dev mode.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
# The production memory bounds (README, "Production"), so dev mode meets the same limits.
MICRONAUT_ENVIRONMENTS=dev exec java -Xms64m -Xmx192m -Xss512k -XX:MaxMetaspaceSize=128m \
  -XX:MaxDirectMemorySize=64m -XX:+UseSerialGC -jar target/vaultgate-0.1.0-SNAPSHOT.jar "$@"
