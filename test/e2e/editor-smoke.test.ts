// The package in a real VS Code (code-server + headless chromium): it installs from
// the .vsix, activates on a .camsim file without an error, highlights the scenario
// language, and reports its activation time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEditorSession, type EditorSession } from './editorSession';
import { prerequisites } from './prerequisites';

const pre = prerequisites();
const SAMPLE = 'pass-race-before-fix.camsim';

describe('camsim package in code-server', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 240_000 }, () => {
  let session: EditorSession;

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    session = await startEditorSession('smoke', pre.editor, pre.vsix);
    console.log(`# code-server: vsix install ${session.timings.installMs} ms, start ${session.timings.startMs} ms, workbench load ${session.timings.loadMs} ms`);
  });

  after(async () => {
    await session?.close();
  });

  test('a .camsim file opens in the camsim language with syntax highlighting', async () => {
    const { workbench, steps } = session;
    await steps.step('open the race sample', async () => {
      await workbench.openFile(SAMPLE);
      assert.match(await workbench.editorLanguage(), /camsim/i);
    });
    await steps.step('tokens are coloured', async () => {
      const tokens = await workbench.tokensOfLine('device pass0');
      const cls = (word: string): string => tokens.find((t) => t.text.trim() === word)?.cls ?? `(no token "${word}")`;
      // The keyword, the device name, the driver and the variant are separate tokens...
      for (const word of ['device', 'pass0', 'pass', 'before-fix']) assert.ok(tokens.some((t) => t.text.trim() === word), `no token "${word}" in ${JSON.stringify(tokens)}`);
      // ...and the grammar gives them different scopes, hence different colours.
      assert.notEqual(cls('device'), cls('pass0'));
      assert.notEqual(cls('before-fix'), cls('pass0'));
      const comment = (await workbench.tokensOfLine('# The devfs close race'))[0];
      assert.notEqual(comment.cls, cls('device'), 'the comment is coloured like a keyword');
    });
  });

  test('the extension activates without an error and reports its activation time', async () => {
    const { workbench, steps } = session;
    const log = await steps.step('read the camsim output channel', () => workbench.outputChannelText('camsim'));
    const activated = /activated in (\d+) ms/.exec(log);
    assert.ok(activated, `no activation line in the camsim output:\n${log}`);
    const measured = await steps.step('running extensions', () => workbench.extensionActivationMs('camsim'));
    console.log(`# extension activation: ${measured} ms as VS Code measures it (activate() itself: ${activated[1]} ms)`);
    const errors = (await workbench.notifications()).filter((t) => /camsim.*(could not start|failed)/i.test(t));
    assert.deepEqual(errors, []);
  });

  test('the Problems panel lists the scenario diagnostics', async () => {
    const { workbench, steps } = session;
    const row = await steps.step('read the Problems panel', () =>
      workbench.waitForProblem(`a marker of ${SAMPLE}`, (r) => r.file === SAMPLE),
    );
    assert.ok(row.message.length > 0 && row.line > 0, JSON.stringify(row));
  });

  test('the timeline webview runs its script under its CSP and hears from the extension', async () => {
    const { workbench, steps } = session;
    const text = await steps.step('open the timeline', async () => {
      await workbench.runCommand('camsim: Open Timeline');
      // The page says "Waiting for the debugger…" until its script has asked the
      // extension for the recording and received the answer (none: no session).
      let seen = '';
      for (let i = 0; i < 40 && !/No camsim debug session/.test(seen); i++) {
        seen = await workbench.webviewText();
        await new Promise((r) => setTimeout(r, 250));
      }
      return seen;
    });
    assert.match(text, /No camsim debug session/);
  });

  test('the editor title Run button runs the scenario into the camsim output', async () => {
    const { workbench, steps } = session;
    const log = await steps.step('run from the editor title', async () => {
      await workbench.openFile(SAMPLE);
      await workbench.clickEditorAction('Run Scenario');
      let text = '';
      for (let i = 0; i < 40 && !/\[exit code/.test(text); i++) {
        await new Promise((r) => setTimeout(r, 250));
        text = await workbench.outputChannelText('camsim');
      }
      return text;
    });
    assert.match(log, /cam_periph_release_locked_buses/);
    assert.match(log, /\[exit code 0\]/); // the sample expects its panic
  });
});
