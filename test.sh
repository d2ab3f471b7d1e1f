#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs Chromium for the browser tests when it is
# missing (as root), starts the scale-out suite's services on loopback (PostgreSQL and Redis from Debian's
# packages, Azurite from npm, installed when missing), builds the solution and runs all tests in one
# `dotnet test`, stops every service it started (also when tests fail or the run is interrupted), then
# prints "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null || {
    echo "Could not install chromium; browser tests need /usr/bin/chromium." >&2; exit 1; }
fi

services="$(mktemp -d /tmp/moodboard-scaleout-XXXXXX)"
trap '.ci/scale-out-services stop "$services"' EXIT
trap 'exit 130' INT TERM
.ci/scale-out-services start "$services" || { echo "Could not start the scale-out suite's services." >&2; exit 1; }
set -a; . "$services/env"; set +a

results="${TEST_RESULTS:-TestResults}"
rm -rf "$results"
dotnet test Preset.Moodboard.sln --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
test_status=$?

# Keep the browser tests' screenshots with the results.
screenshots=$(find Preset.Moodboard.Tests/bin -type d -path '*artifacts/screenshots' | head -1)
[ -n "$screenshots" ] && mkdir -p "$results/screenshots" && cp "$screenshots"/*.png "$results/screenshots/" 2>/dev/null

.ci/trx-summary "$results"
summary_status=$?
[ $test_status -eq 0 ] && [ $summary_status -eq 0 ]
