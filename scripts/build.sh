#!/usr/bin/env bash
# Configures and builds rtaudit in ./build (Release with debug info, warnings as errors).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRTAUDIT_WERROR=ON "$@" > build-configure.log
cmake --build build -j2
