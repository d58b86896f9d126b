// A code-server (VS Code 1.139 in the browser) with fresh user data and extensions
// folders, camsim installed from the built .vsix, serving one folder on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import type { EditorPaths } from './paths';

/** Settings that keep the workbench quiet and deterministic under test. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'git.enabled': false,
};

export interface CodeServerOptions {
  editor: EditorPaths;
  vsix: string;
  /** The folder to open. */
  folder: string;
  /** Scratch folder for HOME, user data, extensions (created fresh). */
  scratch: string;
  /** Where code-server's own output goes. */
  logFile: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}healthz`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    /** e.g. http://127.0.0.1:PORT/ */
    readonly url: string,
    readonly folder: string,
    /** Milliseconds taken by `--install-extension`. */
    readonly installMs: number,
  ) {}

  static async start(opts: CodeServerOptions): Promise<CodeServer> {
    const dirs = {
      home: path.join(opts.scratch, 'home'),
      userData: path.join(opts.scratch, 'user-data'),
      extensions: path.join(opts.scratch, 'extensions'),
    };
    fs.rmSync(opts.scratch, { recursive: true, force: true });
    for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));

    // code-server needs Node 24 and writes its config under HOME/XDG even for --version.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.dirname(opts.editor.node)}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: dirs.home,
      XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
      XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    };
    const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

    const t0 = Date.now();
    const install = spawnSync(opts.editor.node, [opts.editor.codeServer, ...common, '--install-extension', opts.vsix], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const installMs = Date.now() - t0;
    fs.writeFileSync(opts.logFile, `--install-extension ${opts.vsix}\n${install.stdout}${install.stderr}\n`);
    if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
      throw new Error(`installing ${path.basename(opts.vsix)} into code-server failed:\n${install.stdout}${install.stderr}`);
    }

    const port = await freePort();
    const log = fs.openSync(opts.logFile, 'a');
    const child = spawn(
      opts.editor.node,
      [
        opts.editor.codeServer,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        ...common,
        opts.folder,
      ],
      // Its own process group, so that stop() ends it with every process it started.
      { env, stdio: ['ignore', log, log], detached: true },
    );
    fs.closeSync(log);
    const url = `http://127.0.0.1:${port}/`;
    const server = new CodeServer(child, url, opts.folder, installMs);
    const deadline = Date.now() + 30_000;
    while (!(await healthy(url))) {
      if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}; see ${opts.logFile}`);
      if (Date.now() > deadline) {
        server.stop();
        throw new Error(`code-server did not listen on ${url} within 30 s; see ${opts.logFile}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return server;
  }

  /** The workbench URL with the folder open. */
  get workbenchUrl(): string {
    return `${this.url}?folder=${encodeURIComponent(this.folder)}`;
  }

  stop(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
