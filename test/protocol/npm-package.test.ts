// The npm package as a user installs it: `npm pack`, then `npm install -g` of the
// tarball into an empty prefix, without network (the bundles in dist/ inline every
// library, so the package has no dependencies to download). The installed
// commands must work from there: `camsim --version`, `camsim check` on a sample
// shipped in the package, and `camsim-language-server --stdio` answering an LSP
// `initialize`. What is packed is listed in .npmignore. Needs the bundles:
// `npm run build` first (the test packs with --ignore-scripts rather than
// building again).

import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { installPackage, ROOT } from './packageInstall';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
let tmp: string;
let prefix: string;
let installed: string;
let packedFiles: string[];

before(() => {
  ({ tmp, prefix, installed, packedFiles } = installPackage());
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the package holds the bundles, the commands and the samples, not the TypeScript sources', () => {
  for (const f of ['dist/cli.js', 'dist/server.js', 'dist/debugAdapter.js', 'bin/camsim.js', 'bin/camsim-language-server.js', 'samples/pass-race-before-fix.camsim', 'editors/neovim/lua/camsim.lua', 'editors/neovim/ftdetect/camsim.vim', 'README.md', 'LICENSE']) {
    assert.ok(fs.existsSync(path.join(installed, f)), `${f} is not in the installed package`);
  }
  assert.deepEqual(packedFiles.filter((f) => f.endsWith('.ts') || f.endsWith('.map')), []);
  for (const dir of ['core', 'server', 'extension', 'debug-adapter', 'test', 'out']) {
    assert.ok(!fs.existsSync(path.join(installed, dir)), `${dir}/ should not be in the package`);
  }
  // Nothing was downloaded: the bundles carry their libraries.
  assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'the package installed dependencies');
});

test('camsim --version and camsim-language-server --version print the package version', () => {
  for (const command of ['camsim', 'camsim-language-server']) {
    const r = spawnSync(path.join(prefix, 'bin', command), ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version, command);
  }
});

test('camsim check on an installed sample finds the panic', () => {
  const sample = path.join(installed, 'samples', 'pass-race-before-fix.camsim');
  const r = spawnSync(path.join(prefix, 'bin', 'camsim'), ['check', sample], { encoding: 'utf8', cwd: tmp });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /panic/);
  assert.match(r.stdout, /held/);
});

test('camsim-language-server --stdio answers initialize with its name and version', async () => {
  const proc = spawn(path.join(prefix, 'bin', 'camsim-language-server'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const response = await new Promise<{ id: number; result: { serverInfo?: { name?: string; version?: string }; capabilities: object } }>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      proc.on('exit', (code) => reject(new Error(`the server exited (${code}) before answering`)));
      proc.stdout.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString())?.[1]);
        if (buf.length >= head + 4 + length) resolve(JSON.parse(buf.subarray(head + 4, head + 4 + length).toString('utf8')));
      });
    });
    assert.equal(response.id, 1);
    assert.equal(response.result.serverInfo?.name, 'camsim-language-server');
    assert.equal(response.result.serverInfo?.version, pkg.version);
    assert.equal(typeof response.result.capabilities, 'object');
  } finally {
    proc.kill();
  }
});
