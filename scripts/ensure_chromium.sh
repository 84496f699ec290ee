#!/usr/bin/env bash
# Installs Debian's chromium for the browser runtime check, only when it is missing.
# Idempotent; needs root and apt (as CI has). Prints the browser's version.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
chromium --version
