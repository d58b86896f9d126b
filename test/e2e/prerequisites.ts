// Decides, before any editor starts, whether the end-to-end tests can run here:
// - the package must be built (npm run test:e2e builds it first); until the
//   language server and the debug adapter exist the tests skip, saying so;
// - code-server and chromium come from scripts/editor-setup.sh: run when missing
//   (as root or under CI); a non-root developer without them gets a skip with the
//   command to run. Under CI (CI=true) nothing ever skips: what is missing fails.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readEditorPaths, ROOT, vsixPath, type EditorPaths } from './paths';

export type Prerequisites =
  | { status: 'ready'; editor: EditorPaths; vsix: string }
  | { status: 'skip'; reason: string }
  | { status: 'fail'; reason: string };

const BUNDLES = ['dist/extension.js', 'dist/server.js', 'dist/debugAdapter.js'];

function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** The bundles in dist/: a skip (a fail under CI) until the server and adapter are built. */
export function bundlePrerequisites(): { status: 'ready' } | { status: 'skip' | 'fail'; reason: string } {
  const missing = ['dist/server.js', 'dist/debugAdapter.js'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length === 0) return { status: 'ready' };
  const reason =
    `${missing.join(' and ')} not built: the language server (server/main.ts) and the debug adapter ` +
    '(debug-adapter/main.ts) are needed; `npm run test:e2e` builds them and the package.';
  return isCI() ? { status: 'fail', reason } : { status: 'skip', reason };
}

function checkPackage(): Prerequisites | string {
  const bundles = bundlePrerequisites();
  if (bundles.status !== 'ready') return bundles;
  const vsix = vsixPath();
  if (!fs.existsSync(vsix)) {
    return { status: 'fail', reason: `${path.basename(vsix)} not found: run \`npm run package\` (npm run test:e2e does).` };
  }
  const newest = Math.max(...BUNDLES.filter((f) => fs.existsSync(path.join(ROOT, f))).map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs));
  if (fs.statSync(vsix).mtimeMs + 1000 < newest) {
    return { status: 'fail', reason: `${path.basename(vsix)} is older than dist/: run \`npm run package\` again.` };
  }
  return vsix;
}

function installEditor(): EditorPaths | string {
  const setup = spawnSync('bash', [path.join(ROOT, 'scripts', 'editor-setup.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const editor = readEditorPaths();
  if (setup.status !== 0 || !editor) return `scripts/editor-setup.sh failed (exit ${setup.status ?? setup.signal})`;
  return editor;
}

let cached: Prerequisites | undefined;

export function prerequisites(): Prerequisites {
  if (cached) return cached;
  const pkg = checkPackage();
  if (typeof pkg !== 'string') return (cached = pkg);
  let editor = readEditorPaths();
  if (!editor) {
    const root = process.getuid?.() === 0;
    if (!root && !isCI()) {
      return (cached = {
        status: 'skip',
        reason: 'code-server and chromium are not installed: run `sudo bash scripts/editor-setup.sh` (or `npm run editor:setup` as root).',
      });
    }
    const installed = installEditor();
    if (typeof installed === 'string') return (cached = { status: 'fail', reason: installed });
    editor = installed;
  }
  return (cached = { status: 'ready', editor, vsix: pkg });
}
