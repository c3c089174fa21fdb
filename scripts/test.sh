#!/usr/bin/env bash
# The whole test run (what CI runs): set up, typecheck, lint, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "node $(node --version)"
tsc -b
eslint --max-warnings 0 .
vitest run "$@"
