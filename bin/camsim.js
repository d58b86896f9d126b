#!/usr/bin/env node
// Entry point of the `camsim` command: the compiled CLI lives in out/.
require('../out/core/cli/startup.js').tuneForShortRuns();
// A reader that stops early (`camsim run ... | head`) closes the pipe: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
// Exit as soon as the command is done: stdout and stderr are synchronous for
// files, pipes and terminals on Linux, and waiting for the event loop to wind
// down costs 10-15 ms of every run.
require('../out/core/cli/main.js').main(process.argv.slice(2)).then((code) => process.exit(code));
