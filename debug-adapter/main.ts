// The camsim debug adapter as a program: DAP over stdin/stdout, for any client
// (`node dist/debugAdapter.js`, or `node out/debug-adapter/main.js` after tsc).
// It never exits on bad input: a stray exception is logged to stderr and the
// session keeps serving.

import { DebugSession } from '@vscode/debugadapter';
import { CamsimSession } from './session';

process.on('uncaughtException', (err) => {
  process.stderr.write(`camsim debug adapter: uncaught exception: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
});
process.on('unhandledRejection', (err) => {
  process.stderr.write(`camsim debug adapter: unhandled rejection: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
});

DebugSession.run(CamsimSession);
