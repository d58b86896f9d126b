// Entry point of dist/cli.js: the camsim CLI (core/cli, the same program as
// bin/camsim.js), bundled so that the Run and Check commands can run it in a child
// process: a long check then never blocks the editor and can be cancelled.
import { tuneForShortRuns } from '../core/cli/startup';

tuneForShortRuns();
// Loaded after the tuning, which applies to the code that runs from then on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../core/cli/main') as typeof import('../core/cli/main');

main(process.argv.slice(2)).then(
  (code: number) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`camsim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
