#!/usr/bin/env node
// Entry point of the `camsim` command: the CLI bundled into one file by
// `npm run build` (dist/cli.js, from core/cli/process.ts).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`camsim: ${cli} is missing: run 'npm run build' first\n`);
  process.exit(2);
}
require(cli);
