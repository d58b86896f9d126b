#!/usr/bin/env node
// Entry point of the `camsim` command: the compiled CLI lives in out/.
require('../out/core/cli/main.js').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
