#!/usr/bin/env bash
# Every test of the project in one run of node's test runner: unit and protocol
# tests on the compiled output, and the end-to-end tests in a real VS Code and in
# Neovim. Sets up what the tests need first (the editor bundle and .vsix; on CI or
# as root, the Debian and npm packages of the real-editor tests).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run build
npm run lint
npm run package   # bundles with webpack first (vscode:prepublish)

if [ "${CI:-}" = "true" ] || [ "$(id -u)" = "0" ]; then
  bash scripts/editor-setup.sh
fi

# Only the test files: helper modules under out/test are not tests.
mapfile -t tests < <(find out/test -name '*.test.js' | sort)
node --test --test-concurrency=2 "${tests[@]}"
