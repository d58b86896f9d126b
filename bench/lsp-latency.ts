// Latency of the language server through the real process over stdio, beside
// its targets: didChange -> publishDiagnostics on a 5,000-line scenario (target
// 50 ms) and completion (target 10 ms), median and p99, as ratios to the target.
// The in-process analysis time of the same text is printed as the floor.
//
// Run: npm run build && node out/bench/lsp-latency.js [--edits N] [--completions N]

import { analyze } from '../core/scenario';
import { startServer, type LspServer } from './lspServer';
import type { CompletionItem } from 'vscode-languageserver-protocol';

const TARGET_DIAGNOSTICS_MS = 50;
const TARGET_COMPLETION_MS = 10;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const EDITS = arg('--edits', 200);
const COMPLETIONS = arg('--completions', 500);
/** Pause between keystrokes: someone typing fast (about 12 characters a second). */
const TYPING_GAP_MS = 80;

/** A valid scenario of `lines` lines: four devices, processes of 18 statements, expectations. */
function bigScenario(lines: number): string {
  const out = ['# A large scenario for the latency benchmark.', 'scenario "5,000 lines"', 'kernel invariants', 'device pass0: pass before-fix', 'device sg0: sg after-fix', 'device ch0: ch after-fix', 'device sa0: sa', ''];
  let p = 0;
  while (out.length < lines - 6) {
    out.push(`process P${p} {`);
    for (let k = 0; k < 4; k++) out.push(`  open pass0 as f${k}`, `  ioctl f${k}`, `  close f${k}`);
    out.push('  repeat 2 {', '    open sg0 as g', '    close g', '  }', '}', '');
    p++;
  }
  out.push('schedule P0 P1*2 P0', 'expect no panic', 'expect no leak', 'expect pass0.refcount == 0 && P0.f0.errno == 0', '');
  return out.join('\n');
}

function stats(xs: number[]): { median: number; p99: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], p99: s[Math.max(0, Math.ceil(s.length * 0.99) - 1)] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (ms: number) => `${ms.toFixed(1).padStart(6)} ms`;

function row(label: string, xs: number[], target: number): string {
  const { median, p99 } = stats(xs);
  return `  ${label.padEnd(44)} median ${fmt(median)}  p99 ${fmt(p99)}   target ${target} ms   ratio median ${(median / target).toFixed(2)}x  p99 ${(p99 / target).toFixed(2)}x`;
}

async function diagnosticsLatency(client: LspServer, uri: string, line: number, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    // type a character into a descriptor name, then delete it: every edit changes the text
    const change = i % 2 === 0
      ? { range: { start: { line, character: 18 }, end: { line, character: 18 } }, text: 'x' }
      : { range: { start: { line, character: 18 }, end: { line, character: 19 } }, text: '' };
    const t0 = performance.now();
    const version = await client.change(uri, [change]);
    await client.diagnosticsFor(uri, version, 10_000);
    times.push(performance.now() - t0);
    await sleep(TYPING_GAP_MS);
  }
  return times;
}

async function main(): Promise<void> {
  const text = bigScenario(5000);
  const lines = text.split('\n');
  const analyzeTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const a = analyze(text);
    analyzeTimes.push(performance.now() - t0);
    if (a.diagnostics.some((d) => d.severity === 'error')) throw new Error('the benchmark scenario has errors');
  }

  const results: string[] = [];
  for (const check of [false, true]) {
    const client = await startServer({ backgroundCheck: { enabled: check } });
    const uri = `file:///camsim-bench/bench-${check}.camsim`;
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1, 30_000);
    // an `open pass0 as f1` line in the middle of the file
    const editLine = lines.findIndex((l, i) => i > 2500 && l === '  open pass0 as f1');
    await diagnosticsLatency(client, uri, editLine, 20); // warm up
    const diag = await diagnosticsLatency(client, uri, editLine, EDITS);
    results.push(row(`didChange -> publishDiagnostics${check ? ' (check on)' : ''}`, diag, TARGET_DIAGNOSTICS_MS));

    if (!check) {
      // a burst: ten keystrokes sent at once are coalesced; time from the last one to its diagnostics
      const burst: number[] = [];
      let publications = 0;
      for (let b = 0; b < 20; b++) {
        const before = client.published.length;
        let version = 0;
        for (let i = 0; i < 10; i++) {
          version = await client.change(uri, [{ range: { start: { line: editLine, character: 18 }, end: { line: editLine, character: i % 2 ? 19 : 18 } }, text: i % 2 ? '' : 'x' }]);
        }
        const t0 = performance.now();
        await client.diagnosticsFor(uri, version);
        burst.push(performance.now() - t0);
        publications += client.published.slice(before).filter((p) => p.uri === uri).length;
        await sleep(TYPING_GAP_MS);
      }
      results.push(row('burst of 10 changes: last change -> diagnostics', burst, TARGET_DIAGNOSTICS_MS) + `   (${(publications / 20).toFixed(1)} publications per burst)`);

      // completion on the settled document, at four kinds of places
      const processLine = lines.findIndex((l, i) => i > 2500 && l.startsWith('process '));
      const expectLine = lines.findIndex((l) => l.startsWith('expect pass0.refcount'));
      const places = [
        { line: processLine + 1, character: 2 }, // statement keywords
        { line: processLine + 1, character: 7 }, // devices after `open `
        { line: processLine + 3, character: 8 }, // descriptors after `close `
        { line: expectLine, character: 'expect pass0.'.length }, // fields after `pass0.`
      ];
      const complete = async (): Promise<number[]> => {
        const times: number[] = [];
        for (let i = 0; i < COMPLETIONS; i++) {
          const t0 = performance.now();
          const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: places[i % places.length] });
          times.push(performance.now() - t0);
          if (items.length === 0) throw new Error(`no completion at ${JSON.stringify(places[i % places.length])}`);
        }
        return times;
      };
      await complete(); // warm up
      results.push(row('completion (settled document)', await complete(), TARGET_COMPLETION_MS));

      // completion right after a keystroke: the request waits for the new analysis
      const afterEdit: number[] = [];
      for (let i = 0; i < 100; i++) {
        await client.change(uri, [{ range: { start: { line: editLine, character: 18 }, end: { line: editLine, character: i % 2 ? 19 : 18 } }, text: i % 2 ? '' : 'x' }]);
        const t0 = performance.now();
        await client.request('textDocument/completion', { textDocument: { uri }, position: places[1] });
        afterEdit.push(performance.now() - t0);
        await sleep(TYPING_GAP_MS);
      }
      results.push(row('completion right after a change', afterEdit, TARGET_COMPLETION_MS));
    }
    await client.stop();
  }

  const a = stats(analyzeTimes);
  console.log(`language server latency over stdio, ${lines.length}-line scenario (${(text.length / 1024).toFixed(0)} KiB); ${EDITS} edits ${TYPING_GAP_MS} ms apart, ${COMPLETIONS} completions`);
  console.log(`  floor: analyze() of the whole text in-process   median ${fmt(a.median)}  p99 ${fmt(a.p99)}`);
  for (const r of results) console.log(r);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
