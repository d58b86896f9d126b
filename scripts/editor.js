#!/usr/bin/env node
// `npm run editor`: try camsim in a real VS Code without installing VS Code.
// Builds the .vsix, installs code-server once (scripts/editor-setup.sh, cached
// outside the repository), installs camsim into it and serves samples/ on
// 127.0.0.1, printing the address. Ctrl+C stops it.
//
//   npm run editor                  build, then serve on port 8080 (or a free one)
//   npm run editor -- --no-build    serve the package built last time
//   npm run editor -- --port 9000   choose the port
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = process.env.CAMSIM_CACHE || path.join(os.homedir(), '.cache', 'camsim');

function fail(message) {
  process.stderr.write(`editor: ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function choosePort(wanted) {
  if (await portIsFree(wanted)) return wanted;
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const portArg = args.indexOf('--port');
  const wantedPort = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.CAMSIM_EDITOR_PORT || 8080);
  if (!Number.isInteger(wantedPort) || wantedPort <= 0 || wantedPort > 65535) fail('--port needs a port number');

  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (!args.includes('--no-build')) run('npm', ['run', 'package']);
  if (!fs.existsSync(vsix)) fail(`${path.basename(vsix)} not found: run without --no-build`);

  run('bash', [path.join(ROOT, 'scripts', 'editor-setup.sh')]);
  const editor = JSON.parse(fs.readFileSync(path.join(CACHE, 'editor.json'), 'utf8'));

  // Settings and state persist between runs; camsim is reinstalled each time.
  const state = path.join(CACHE, 'editor-session');
  const dirs = { home: path.join(state, 'home'), userData: path.join(state, 'user-data'), extensions: path.join(state, 'extensions') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const env = {
    ...process.env,
    PATH: `${path.dirname(editor.node)}${path.delimiter}${process.env.PATH || ''}`,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
  };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  run(editor.node, [editor.codeServer, ...common, '--install-extension', vsix, '--force'], { env });

  const port = await choosePort(wantedPort);
  const folder = path.join(ROOT, 'samples');
  const child = spawn(
    editor.node,
    [
      editor.codeServer,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...common,
      folder,
    ],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  process.stdout.write(`\ncamsim ${pkg.version} in VS Code (code-server ${editor.codeServerVersion}):\n  ${url}\nCtrl+C stops it.\n`);
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
