#!/usr/bin/env bash
# Fault suite, long form (not part of CI; CI runs the same suite for one round): the gateway in a
# JVM of its own, OpenBao with persistent Raft storage and a MariaDB server of its own, under a
# steady load of writes, boot fetches and restart deliveries, while each part in turn is killed
# with -9, frozen with SIGSTOP for 3 s and (OpenBao) sealed. Prints acknowledged / lost /
# half-visible / orphaned writes, stale boot fetches, deliveries owed / delivered / duplicated,
# the status codes seen and each fault's recovery time, and fails if anything was lost.
#
#   bench/faults.sh          # 3 rounds
#   bench/faults.sh 10       # 10 rounds (about 1 minute each)
#
# Every loop is bounded: a round is a fixed list of faults, each followed by a bounded wait.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
case "$rounds" in '' | *[!0-9]*) echo "faults.sh: rounds must be a whole number, got '$rounds'" >&2; exit 2 ;; esac

bash scripts/test-services.sh >/dev/null
exec ./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSuiteIT \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dfaults.rounds="$rounds" -Dvaultgate.build.dir=target-faults
