#!/usr/bin/env bash
# The whole test run (what CI runs): set up, typecheck, lint, then every test, ending with a "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "node $(node --version)"
# The CLI tests run bin/vanthu.mjs, which uses this bundle (out/cli) when it is newer than the sources.
node scripts/build-cli.mjs
tsc -b
eslint --max-warnings 0 .
mkdir -p .tmp
report=.tmp/vitest-report.json
rm -f "$report"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
if [[ -f $report ]]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$report"
fi
exit "$status"
