#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install dependencies, build, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# PostgreSQL on loopback for the store tests (they skip, saying so, when it cannot start).
eval "$(bash scripts/test-services.sh)" || true
bash scripts/build.sh
cd build
ctest --output-on-failure -j2
