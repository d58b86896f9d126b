// Size of the extension package (the .vsix built by `npm run package`) beside a
// baseline: the same program shipped unbundled, i.e. the compiled modules it runs
// (out/ for core, server, debug-adapter, extension) plus every file of the
// production dependencies in node_modules, each deflated as a .vsix (zip) would.
// The activation time is measured in a real VS Code by the end-to-end smoke test
// (`npm run test:e2e`, "extension activation" line).
//
// Run: npm run package && npm run build && node out/bench/extension-package.js

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..');

function filesUnder(dir: string, keep: (file: string) => boolean = () => true): string[] {
  let out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out = out.concat(filesUnder(path, keep));
    else if (entry.isFile() && keep(path)) out.push(path);
  }
  return out;
}

/** Production dependencies (not dev) from package-lock.json, as folders in node_modules. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, info]) => path.startsWith('node_modules/') && !info.dev)
    .map(([path]) => join(ROOT, path));
}

function deflated(files: string[]): number {
  return files.reduce((sum, f) => sum + deflateRawSync(readFileSync(f)).length, 0);
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const vsix = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
const vsixSize = statSync(vsix).size;
const bundles = ['extension', 'server', 'debugAdapter', 'cli'].map((b) => join(ROOT, 'dist', `${b}.js`));

const compiled = ['core', 'server', 'debug-adapter', 'extension'].flatMap((d) =>
  filesUnder(join(ROOT, 'out', d), (f) => f.endsWith('.js')),
);
const dependencies = productionPackages().flatMap((dir) =>
  filesUnder(dir, (f) => !relative(dir, f).includes('node_modules')),
);
const baseline = compiled.concat(dependencies);
const baselineSize = deflated(baseline);

console.log(`extension package (${pkg.name}-${pkg.version}.vsix)`);
console.log(`  camsim .vsix:                        ${kb(vsixSize)}`);
for (const b of bundles) console.log(`    ${relative(ROOT, b).padEnd(34)}${kb(statSync(b).size)} (uncompressed)`);
console.log(
  `  baseline, unbundled (deflated):      ${kb(baselineSize)}  (${compiled.length} compiled modules + ` +
    `${dependencies.length} files of ${productionPackages().length} production packages)`,
);
console.log(`  ratio camsim / baseline:             ${(vsixSize / baselineSize).toFixed(2)}x`);
