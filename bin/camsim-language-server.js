#!/usr/bin/env node
// Entry point of the `camsim-language-server` command: the language server
// bundled into one file by `npm run build` (dist/server.js, from server/main.ts).
// Give it --stdio (or --node-ipc, --socket=PORT, --pipe=NAME); stdio is the
// default. --version prints the version.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const server = join(__dirname, '..', 'dist', 'server.js');
if (!existsSync(server)) {
  process.stderr.write(`camsim-language-server: ${server} is missing: run 'npm run build' first\n`);
  process.exit(2);
}
require(server);
