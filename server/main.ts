// Entry point of the camsim language server. The transport comes from the
// command line as vscode-languageserver reads it (--stdio, --node-ipc,
// --socket=PORT, --pipe=NAME); with none given, stdio. The same script, started
// as a worker thread by the server itself, runs one background race check.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, SERVER_NAME } from './server';
import { isRaceCheckWorker, serveRaceCheck } from './raceCheck/worker';
import { camsimVersion } from '../core/version';

const USAGE = `usage: ${SERVER_NAME} [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]
The language server of camsim scenarios (.camsim files), over the Language Server Protocol.
  --version   prints the version`;

const args = process.argv.slice(2);
if (isRaceCheckWorker()) {
  serveRaceCheck();
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE + '\n');
} else if (args.includes('--version')) {
  process.stdout.write(camsimVersion() + '\n');
} else {
  const transport = args.some((a) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(a));
  const connection = transport
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  startServer(connection, { workerScript: __filename });
  connection.listen();
}
