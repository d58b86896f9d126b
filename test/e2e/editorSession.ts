// One end-to-end session: a scratch copy of samples/ (plus any extra files), a fresh
// code-server with the built camsim package, and headless chromium on its workbench.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchBrowser, type Browser } from './browser';
import { CodeServer } from './codeServer';
import { ARTIFACTS, ROOT, type EditorPaths } from './paths';
import { StepRecorder } from './steps';
import { Workbench } from './workbench';

export interface EditorSession {
  workbench: Workbench;
  steps: StepRecorder;
  /** The opened folder: a copy of samples/ and the extra files. */
  workspace: string;
  /** Milliseconds: package install, code-server start, workbench load. */
  timings: { installMs: number; startMs: number; loadMs: number };
  close(): Promise<void>;
}

export async function startEditorSession(
  name: string,
  editor: EditorPaths,
  vsix: string,
  extraFiles: Record<string, string> = {},
): Promise<EditorSession> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `camsim-e2e-${name}-`));
  const artifacts = path.join(ARTIFACTS, name);
  fs.rmSync(artifacts, { recursive: true, force: true }); // screenshots of this run only
  fs.mkdirSync(artifacts, { recursive: true });
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(ROOT, 'samples'), workspace, { recursive: true });
  for (const [file, text] of Object.entries(extraFiles)) {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.writeFileSync(path.join(workspace, file), text);
  }

  const t0 = Date.now();
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.context.close().catch(() => undefined);
    codeServer?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    codeServer = await CodeServer.start({
      editor,
      vsix,
      folder: workspace,
      scratch: path.join(scratch, 'code-server'),
      logFile: path.join(artifacts, 'code-server.log'),
    });
    const startMs = Date.now() - t0 - codeServer.installMs;
    browser = await launchBrowser(editor.chromium, path.join(scratch, 'chromium-profile'));
    const workbench = new Workbench(browser.page);
    const t1 = Date.now();
    await workbench.load(codeServer.workbenchUrl);
    const loadMs = Date.now() - t1;
    return {
      workbench,
      steps: new StepRecorder(browser.page, artifacts),
      workspace,
      timings: { installMs: codeServer.installMs, startMs, loadMs },
      close,
    };
  } catch (err) {
    await browser?.page.screenshot({ path: path.join(artifacts, 'startup-FAILED.png') }).catch(() => undefined);
    await close();
    throw err;
  }
}
