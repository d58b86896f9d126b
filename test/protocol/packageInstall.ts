// The npm package installed as a user installs it: `npm pack` (without building
// again: the bundles must exist), then `npm install -g` of the tarball into an
// empty prefix, offline (the bundles inline every library).

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

export function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface InstalledPackage {
  /** A new folder holding the tarball and the prefix; the caller removes it. */
  tmp: string;
  /** The `--prefix` of `npm install -g`: its bin/ has the commands. */
  prefix: string;
  /** prefix/lib/node_modules/camsim */
  installed: string;
  packedFiles: string[];
}

export function installPackage(): InstalledPackage {
  for (const b of ['cli', 'server', 'debugAdapter', 'extension', 'timeline']) {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', `${b}.js`)), `dist/${b}.js is missing: run 'npm run build' first`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-pack-'));
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT)) as { filename: string; files: { path: string }[] }[];
  const prefix = path.join(tmp, 'prefix');
  fs.mkdirSync(prefix);
  npm(['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(tmp, packed[0].filename)], tmp);
  return { tmp, prefix, installed: path.join(prefix, 'lib', 'node_modules', 'camsim'), packedFiles: packed[0].files.map((f) => f.path) };
}
