#!/usr/bin/env node
// Entry point of the `camsim` command: the compiled CLI lives in out/.
// A reader that stops early (`camsim run ... | head`) closes the pipe: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
require('../out/core/cli/main.js').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
