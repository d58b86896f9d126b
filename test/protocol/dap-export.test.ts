// Export Trace (camsim/exportTrace): the adapter writes the recording to the file
// the client names, a piece at a time, in the format `camsim run --trace` writes;
// other requests are answered while a large export is written; what cannot be
// written is refused with a message and leaves no half file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CustomRequests, type ExportTraceResponse } from '../../core/protocol';
import { runMachine } from '../../core/engine/run/run';
import { loadScenario } from '../../core/engine/scenarioRun';
import { buildTraceFile, parseTraceFile, replayTraceFile, serializeTraceFile } from '../../core/engine/trace/file';
import { RACE, failure, launchToStop, startClient, tempScenario, type Client } from './dap-client';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-export-'));

/** Two processes opening and closing pass0 `repeats` times each (about 40 steps a round). */
function openClose(repeats: number): string {
  const proc = (name: string, fd: string) => `process ${name} {\n  repeat ${repeats} {\n    open pass0 as ${fd}\n    close ${fd}\n  }\n}\n`;
  return `scenario "open and close over and over"\ndevice pass0: pass after-fix\n${proc('A', 'f')}${proc('B', 'g')}`;
}

describe('dap: Export Trace', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('the file is what camsim run --trace writes for the same run, and replays to the same panic', async () => {
    await launchToStop(dc, { program: RACE });
    const total = (await dc.customRequest(CustomRequests.trace, { from: 0, count: 0 })).body.total as number;
    const file = path.join(tempDir(), 'race.trace.json');
    const r = await dc.customRequest(CustomRequests.exportTrace, { path: file });
    const body = r.body as ExportTraceResponse;
    assert.equal(body.path, file);
    assert.equal(body.steps, total);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(body.bytes, Buffer.byteLength(text));
    assert.ok(!fs.existsSync(`${file}.partial`), 'no partial file is left behind');

    const parsed = parseTraceFile(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    if (!parsed.ok) return;
    const scenario = fs.readFileSync(RACE, 'utf8');
    const replay = replayTraceFile(parsed.trace, scenario);
    assert.ok(replay.ok, replay.ok ? '' : replay.message);
    if (!replay.ok) return;
    assert.equal(replay.run.status, 'panic');
    assert.equal(replay.run.outcome?.fn, 'cam_periph_release_locked_buses');
    assert.equal(parsed.trace.generator, 'camsim debugger');

    // Byte for byte the document built whole from the same slices (the format is unchanged).
    const loaded = loadScenario(scenario);
    const run = runMachine(loaded.config!, { schedule: parsed.trace.schedule.slices, policy: parsed.trace.schedule.policy, maxSteps: total, record: true });
    const whole = serializeTraceFile(buildTraceFile(loaded, run, { file: RACE, policy: parsed.trace.schedule.policy, requested: parsed.trace.schedule.requested, maxSteps: parsed.trace.schedule.maxSteps, generator: 'camsim debugger' }));
    assert.equal(text, whole);
  });

  test('while a large recording is written, threads is answered and a second export is refused', async () => {
    const program = tempScenario('long.camsim', openClose(10_000));
    const steps = 200_000;
    await launchToStop(dc, { program, maxSteps: steps });
    const file = path.join(tempDir(), 'long.trace.json');
    let exportDone = 0;
    const exporting = dc.customRequest(CustomRequests.exportTrace, { path: file }).then((r) => {
      exportDone = Date.now();
      return r;
    });
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = Date.now();
      const t = await dc.threadsRequest();
      assert.ok(t.body.threads.length >= 2);
      answers.push(Date.now() - sent);
      if (i === 0) {
        assert.match(await failure(dc.customRequest(CustomRequests.exportTrace, { path: path.join(tempDir(), 'second.json') })), /being written already/);
      }
    }
    const threadsAnswered = Date.now();
    const r = await exporting;
    assert.ok(exportDone > threadsAnswered, 'the threads requests were answered before the export finished');
    assert.ok(Math.max(...answers) < 2000, `threads answered within two seconds during the export (${answers.join(', ')} ms)`);
    assert.equal((r.body as ExportTraceResponse).steps, steps);
    const parsed = parseTraceFile(fs.readFileSync(file, 'utf8'));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    if (parsed.ok) {
      assert.equal(parsed.trace.steps.length, steps);
      assert.equal(parsed.trace.result.truncated, true);
    }
  });

  test('a path that cannot be written is refused with the reason, and leaves no file', async () => {
    await launchToStop(dc, { program: RACE });
    const dir = tempDir();
    const cases: [unknown, RegExp][] = [
      [undefined, /"path" is missing: it must be the absolute path of the file to write/],
      [null, /"path" is missing|"path" must be the absolute path/],
      [42, /"path" must be the absolute path of the file to write, not the number 42/],
      ['relative.json', /"path" must be an absolute path, not "relative\.json"/],
      [path.join(dir, 'no', 'such', 'dir.json'), /cannot write .*: no such directory/],
      [dir, /cannot write .*: it is a directory/],
    ];
    for (const [p, expected] of cases) {
      const message = await failure(dc.customRequest(CustomRequests.exportTrace, p === undefined ? {} : { path: p }));
      assert.match(message, expected);
      assert.doesNotMatch(message, /internal error|\n\s+at /);
    }
    assert.deepEqual(fs.readdirSync(dir), []);
    // The adapter goes on serving.
    assert.ok((await dc.threadsRequest()).body.threads.length >= 2);
  });
});
