#!/usr/bin/env bash
# The one test command: prepares the local services the integration tests need (OpenBao CLI,
# MariaDB), validates docker-compose.yml, runs every test, unit (*Test, Surefire) and
# integration (*IT, Failsafe), then the short form of the loopback cluster's failure table
# (scripts/cluster-check.sh: 4 to 9 minutes here; VAULTGATE_CLUSTER_CHECK=0 skips it).
# Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=RealStackIT
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-services.sh
# The production shape: no Docker engine runs it here, so the file is checked against the
# Compose specification (ComposeFileTest, in the unit tests, checks what a schema cannot).
.cache/compose-tools/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
./mvnw -B verify "$@"

if [ "${VAULTGATE_CLUSTER_CHECK:-1}" != 0 ]; then
  # The cluster runs the jar this build just made.
  build=target
  for arg in "$@"; do
    case "$arg" in -Dvaultgate.build.dir=*) build=${arg#-Dvaultgate.build.dir=} ;; esac
  done
  VAULTGATE_BUILD_DIR=$build bash scripts/cluster-check.sh
fi
