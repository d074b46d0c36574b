#!/usr/bin/env bash
# The one test command: prepares the local services the integration tests need (OpenBao CLI,
# MariaDB), validates docker-compose.yml and runs every test, unit (*Test, Surefire) and
# integration (*IT, Failsafe).
# Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=RealStackIT
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-services.sh
# The production shape: no Docker engine runs it here, so the file is checked against the
# Compose specification (ComposeFileTest, in the unit tests, checks what a schema cannot).
.cache/compose-tools/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
exec ./mvnw -B verify "$@"
