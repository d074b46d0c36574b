#!/usr/bin/env bash
# The one test command: prepares the local services the integration tests need (OpenBao CLI,
# MariaDB) and runs every test, unit (*Test, Surefire) and integration (*IT, Failsafe).
# Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=RealStackIT
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-services.sh
exec ./mvnw -B verify "$@"
