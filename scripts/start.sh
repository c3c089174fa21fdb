#!/usr/bin/env bash
# Starts vanthu: the Electron app where its runtime can be had, otherwise the same UI as a browser preview on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
electron-vite build >/dev/null
# The `vanthu` command's bundle (out/cli); skipped when no source changed since the last build.
node scripts/build-cli.mjs

electron_ready() { [[ -f node_modules/electron/path.txt ]] && [[ -x "node_modules/electron/dist/$(cat node_modules/electron/path.txt)" ]]; }
if ! electron_ready; then
  echo "vanthu: tải Electron / downloading the Electron runtime…"
  node node_modules/electron/install.js >/dev/null 2>&1 || true
fi
if electron_ready && [[ -z "${VANTHU_BROWSER_PREVIEW:-}" ]]; then
  exec electron-vite preview
fi
echo "vanthu: không có Electron trên máy này: mở giao diện trong trình duyệt (cùng dịch vụ thật)."
echo "vanthu: Electron's runtime is not available here: serving the same UI to a browser (real services)."
exec tsx scripts/preview-server.ts
