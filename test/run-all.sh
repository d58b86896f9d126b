#!/usr/bin/env bash
# Every test of the project in one run of node's test runner: unit and protocol
# tests on the compiled output, and the end-to-end tests in a real VS Code.
# Sets up what the tests need first (the editor bundle and .vsix; on CI or as
# root, the Debian and npm packages of the real-editor tests).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run build
npm run lint
npm run bundle
npm run package

if [ "${CI:-}" = "true" ] || [ "$(id -u)" = "0" ]; then
  bash scripts/editor-setup.sh
fi

node --test --test-concurrency=2 out/test/
