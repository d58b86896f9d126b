// Golden transcripts of the debugger's runtime: every folder of test/golden holds
// a `script` of a debugging session (and the scenario, or a pointer to a sample)
// and the `expected` transcript of what the stepper and the inspector answered
// (stop reasons, top frames, values). The session runs against them directly,
// not through the Debug Adapter Protocol (test/protocol/dap-*.test.ts do that).
// CAMSIM_UPDATE_GOLDEN=1 rewrites the expected files from what the code answers
// now; read the difference before committing it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GOLDEN_DIR, REPO_ROOT, runSession } from './golden-session';

const UPDATE = process.env.CAMSIM_UPDATE_GOLDEN === '1';

const folders = fs.existsSync(GOLDEN_DIR)
  ? fs.readdirSync(GOLDEN_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  : [];

test('the golden folders are found from the compiled tests', () => {
  assert.ok(folders.length >= 4, `expected the scenario folders under ${GOLDEN_DIR}, found ${folders.length}`);
});

for (const name of folders) {
  test(`golden transcript: ${name}`, async () => {
    const folder = path.join(GOLDEN_DIR, name);
    const expectedPath = path.join(folder, 'expected');
    const actual = await runSession(folder);
    const shown = path.relative(REPO_ROOT, expectedPath);
    if (UPDATE) {
      fs.writeFileSync(expectedPath, actual);
      console.log(`CAMSIM_UPDATE_GOLDEN: rewrote ${shown}`);
      return;
    }
    assert.ok(fs.existsSync(expectedPath), `${shown} is missing: run the test with CAMSIM_UPDATE_GOLDEN=1 to write it, then read it`);
    assert.equal(actual, fs.readFileSync(expectedPath, 'utf8'), `the session differs from ${shown} (CAMSIM_UPDATE_GOLDEN=1 rewrites it)`);
  });
}
