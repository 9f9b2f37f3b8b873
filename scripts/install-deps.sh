#!/usr/bin/env bash
# Installs everything rtaudit needs to build, test and be cross-checked, from Debian 12 packages.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  # build
  build-essential cmake ccache pkg-config
  # libraries
  libdcmtk-dev dcmtk libcgal-dev libgmp-dev libmpfr-dev libboost-dev libpugixml-dev
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libsqlite3-dev libssl-dev libpq-dev
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # fuzzing (libFuzzer) and sanitizers
  clang libclang-rt-14-dev
  # independent references for cross-checks
  dicom3tools plastimatch python3-pydicom python3-numpy python3-jsonschema
  # the DICOM node's tests: a test CA and certificates, a PostgreSQL server on loopback, an Orthanc
  # that routes plans to the node (the test runs its own Orthanc, not the package's service)
  openssl postgresql orthanc
  # the HTML report in a real browser (headless)
  chromium chromium-driver python3-selenium fonts-dejavu-core
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The orthanc package starts a system Orthanc (DICOM 4242 and HTTP 8042, on all interfaces) where systemd
# runs. The tests start their own on loopback-only terms; stop the package's, if it was installed just now.
if [[ " ${missing[*]} " == *" orthanc "* ]]; then
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now orthanc >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/orthanc ]; then
    $SUDO /etc/init.d/orthanc stop >/dev/null 2>&1 || true
  fi
fi
