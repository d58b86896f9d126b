// Where the end-to-end tests find the repository, the package and the editor.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root (this file compiles to out/test/e2e/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Screenshots and logs of the runs (git-ignored). */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

export const CACHE = process.env.CAMSIM_CACHE ?? path.join(os.homedir(), '.cache', 'camsim');

/** What scripts/editor-setup.sh installed (it writes editor.json). */
export interface EditorPaths {
  node: string;
  nodeDir: string;
  codeServer: string;
  codeServerVersion: string;
  chromium: string;
}

export function readEditorPaths(): EditorPaths | undefined {
  try {
    const paths = JSON.parse(fs.readFileSync(path.join(CACHE, 'editor.json'), 'utf8')) as EditorPaths;
    const present = [paths.node, paths.codeServer, paths.chromium].every((p) => typeof p === 'string' && fs.existsSync(p));
    return present ? paths : undefined;
  } catch {
    return undefined;
  }
}

export function vsixPath(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
}
