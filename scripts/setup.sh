#!/usr/bin/env bash
# Installs what vanthu needs on a Debian/Ubuntu machine (system packages, then npm packages); fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the app and its tests use: PKCS#11 (SoftHSM, OpenSC), PDF checkers
# (poppler's pdfsig/pdftoppm, qpdf), NSS tools, OpenSSL, Chromium for UI tests, fonts, a C compiler;
# ghostscript and mupdf-tools make the producer corpus (tests/fixtures/pdf/corpus/make-corpus.sh).
PACKAGES=(softhsm2 opensc poppler-utils qpdf libnss3-tools openssl chromium fonts-liberation gcc libc6-dev ghostscript mupdf-tools)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "vanthu setup: installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "vanthu setup: please install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: reinstall when the lock file changed since the last install. The Node toolchain
# itself (the line Electron runs) comes from the `node` devDependency.
if [[ ! -x node_modules/.bin/node || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "vanthu setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
