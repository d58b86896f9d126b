#!/usr/bin/env node
// Entry point of the `camsim-language-server` command: the compiled server lives
// in out/. Give it --stdio (or --node-ipc, --socket=PORT, --pipe=NAME); stdio is
// the default.
require('../out/server/main.js');
