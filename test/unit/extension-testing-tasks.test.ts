// The editor-independent parts of the Testing view, the tasks and the package:
// the `expect` lines a file's test items come from, the verdict of each from the
// real CLI (dist/cli.js, as the extension runs it), the `$camsim` problem matcher
// against the CLI's real output, the check bounds, and what the .vsix carries
// (walkthrough media, samples, licence notices of the bundled libraries).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Commands, PROBLEM_MATCHER, TASK_TYPE } from '../../core/protocol';
import { checkBoundArgs } from '../../extension/checkBounds';
import { CLI_PROBLEM_REGEXP, readCliProblems } from '../../extension/cliProblems';
import { readCheckOutcome } from '../../extension/cliVerdict';
import { expectationProblemLines } from '../../extension/tasks/expectationProblems';
import { expectLines } from '../../extension/testing/expectLines';
import { expectResults } from '../../extension/testing/expectResults';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SAMPLES = path.join(ROOT, 'samples');
const BEFORE = path.join(SAMPLES, 'pass-race-before-fix.camsim');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-testing-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function camsim(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `camsim check --json` on `text` (written to a file), read as the Testing view reads it. */
function checkText(name: string, text: string, extra: string[] = []) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  const r = camsim(['check', '--json', ...extra, file]);
  const outcome = readCheckOutcome(r.code, false, r.stdout, r.stderr);
  return { file, outcome, stderr: r.stderr, lines: expectLines(text) };
}

test('expect lines: each of a sample, at its 0-based line, without indentation or comment; comments that mention expect are not one', () => {
  const text = ['# expect panic is what this shows', 'scenario "x"', '  expect   no panic   # the after-fix', 'expect pass0.refcount == 1', 'expected', 'process A {', '}'].join('\n');
  assert.deepEqual(expectLines(text), [
    { line: 2, start: 2, end: 19, text: 'expect no panic' },
    { line: 3, start: 0, end: 26, text: 'expect pass0.refcount == 1' },
  ]);
  // Every sample: the lines the CLI reports its expectations at, in order.
  for (const file of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim'))) {
    const r = JSON.parse(camsim(['check', '--json', '--max-states', '1', path.join(SAMPLES, file)]).stdout) as { expectations: { line: number; text: string }[] };
    const found = expectLines(fs.readFileSync(path.join(SAMPLES, file), 'utf8'));
    assert.deepEqual(found.map((l) => l.line), r.expectations.map((e) => e.line), file);
    assert.deepEqual(found.map((l) => l.text), r.expectations.map((e) => e.text), file);
  }
});

test('Run on the before-fix sample passes expect panic, with the interleaving to debug; after-fix driver only, it fails with the reason at its line', () => {
  const before = fs.readFileSync(BEFORE, 'utf8');
  const held = checkText('before.camsim', before);
  const [panic] = expectResults(held.outcome, held.lines, held.stderr);
  assert.equal(panic.state, 'passed');
  assert.match(panic.schedule ?? '', /^schedule( [AB]\*\d+)+$/);
  assert.equal(panic.line, held.lines[0].line);

  const afterFix = before.replace('pass before-fix', 'pass after-fix');
  assert.notEqual(afterFix, before);
  const broken = checkText('after.camsim', afterFix);
  const [failed] = expectResults(broken.outcome, broken.lines, broken.stderr);
  assert.equal(failed.state, 'failed');
  assert.match(failed.message ?? '', /^expect panic failed: no interleaving panics/);
  assert.equal(failed.line, broken.lines[0].line);
  assert.equal(failed.schedule, undefined, 'no interleaving decided it');
});

test('a failed expectation carries the counterexample; an undecided one and an invalid scenario are errors with their place', () => {
  const text = fs.readFileSync(BEFORE, 'utf8').replace(/^expect panic$/m, 'expect no panic\nexpect panic');
  const r = checkText('both.camsim', text);
  const [noPanic, panic] = expectResults(r.outcome, r.lines, r.stderr);
  assert.equal(noPanic.state, 'failed');
  assert.match(noPanic.message ?? '', /^expect no panic failed: cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero/);
  assert.match(noPanic.message ?? '', /\ncounterexample: schedule /);
  assert.ok(noPanic.schedule);
  assert.equal(panic.state, 'passed');

  const bounded = checkText('bounded.camsim', fs.readFileSync(path.join(SAMPLES, 'pass-race-after-fix.camsim'), 'utf8'), ['--max-states', '3']);
  assert.equal(bounded.outcome.verdict, 'incomplete');
  for (const [i, res] of expectResults(bounded.outcome, bounded.lines, bounded.stderr).entries()) {
    assert.equal(res.state, 'errored');
    assert.match(res.message ?? '', /was not decided/);
    assert.equal(res.line, bounded.lines[i].line);
  }

  const invalid = checkText('invalid.camsim', 'scenario "x"\ndevice pass0 pass\nexpect no panic\n');
  assert.equal(invalid.outcome.verdict, 'invalid');
  const [res] = expectResults(invalid.outcome, invalid.lines, invalid.stderr);
  assert.equal(res.state, 'errored');
  assert.match(res.message ?? '', /^the scenario cannot be checked: expected ':' after the device name/);
  assert.deepEqual([res.line, res.column], [1, 13]);
});

test('the $camsim problem matcher is the CLI reader\'s pattern and matches what `camsim lint` and `camsim check` print', () => {
  const [matcher] = pkg.contributes.problemMatchers;
  assert.equal(matcher.name, PROBLEM_MATCHER);
  assert.equal(matcher.pattern.regexp, CLI_PROBLEM_REGEXP);
  const re = new RegExp(matcher.pattern.regexp);
  const groups = (line: string) => {
    const m = re.exec(line);
    assert.ok(m, `no match: ${line}`);
    const { file, line: l, column, severity, message, code } = matcher.pattern;
    return { file: m[file], line: m[l], column: m[column], severity: m[severity], message: m[message], code: m[code] };
  };

  // lint: a warning per before-fix sample; "FILE: ok" lines are not problems.
  const lint = camsim(['lint', ...fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).map((f) => path.join('samples', f))]);
  assert.equal(lint.code, 0, lint.stderr);
  const lintLines = lint.stdout.split('\n').filter((l) => l.trim());
  const matched = lintLines.filter((l) => re.test(l));
  assert.ok(lintLines.some((l) => /: ok$/.test(l) && !re.test(l)), lint.stdout);
  assert.ok(matched.length >= 4, lint.stdout);
  const race = groups(matched.find((l) => l.startsWith('samples/pass-race-before-fix.camsim:'))!);
  assert.deepEqual([race.file, race.severity, race.code], ['samples/pass-race-before-fix.camsim', 'warning', 'devfs-close-race']);
  const sampleLine = fs.readFileSync(BEFORE, 'utf8').split('\n')[Number(race.line) - 1];
  assert.match(sampleLine, /^device pass0: pass before-fix/);
  assert.equal(sampleLine.slice(Number(race.column) - 1).split(/\s/)[0], 'before-fix');
  assert.doesNotMatch(race.message, /\[devfs-close-race\]$/, 'the code is its own group');

  // check on a broken scenario: every error on stderr is one problem, the same as readCliProblems reads.
  const broken = camsim(['check', path.join('test', 'fixtures', 'broken.camsim')]);
  assert.equal(broken.code, 2);
  const errors = broken.stderr.split('\n').filter((l) => l.trim());
  assert.ok(errors.length > 3);
  for (const l of errors) assert.equal(groups(l).severity, 'error', l);
  assert.equal(readCliProblems(broken.stderr).length, errors.length);

  // What the check task adds for a failed expectation matches too, at the expect line.
  const text = fs.readFileSync(BEFORE, 'utf8').replace(/^expect panic$/m, '  expect no panic');
  const r = checkText('task.camsim', text);
  const problems = expectationProblemLines(r.outcome.report!, 'task.camsim', text);
  assert.equal(problems.length, 1);
  const p = groups(problems[0]);
  assert.deepEqual([p.file, Number(p.line), Number(p.column), p.severity, p.code], ['task.camsim', r.lines[0].line + 1, 3, 'error', 'expectation-failed']);
  assert.match(p.message, /^expect no panic failed: .*when refcount is zero; counterexample: schedule /);
});

test('check bounds become the CLI\'s options; unset or out of range ones are left to its defaults, and the CLI accepts them', () => {
  assert.deepEqual(checkBoundArgs({}), []);
  assert.deepEqual(checkBoundArgs({ maxStates: null, timeoutSeconds: 0, maxDepth: 2.5 }), []);
  const args = checkBoundArgs({ maxStates: 50, maxDepth: 200, preemptionBound: 0, timeoutSeconds: 30 });
  assert.deepEqual(args, ['--max-states', '50', '--max-depth', '200', '--preemption-bound', '0', '--timeout', '30']);
  const r = camsim(['check', '--json', ...args, BEFORE]);
  assert.ok(r.code === 0 || r.code === 3, r.stderr);
  assert.equal(JSON.parse(r.stdout).bounds.maxStates, 50);
  // Each setting is declared, with the range the CLI accepts.
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['camsim.check.preemptionBound'].minimum, 0);
  for (const key of ['camsim.check.maxStates', 'camsim.check.maxDepth', 'camsim.check.timeoutSeconds']) assert.equal(props[key].minimum, 1, key);
});

test('the walkthrough\'s media and samples, the icons and the notices are in the .vsix; its commands exist', () => {
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const packed = (file: string): boolean =>
    ignore.some((glob) => new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file));
  const [walkthrough] = pkg.contributes.walkthroughs;
  const commands = new Set<string>([...Object.values(Commands), 'workbench.action.debug.stepBack']);
  for (const step of walkthrough.steps) {
    const media = step.media.markdown as string;
    assert.ok(fs.existsSync(path.join(ROOT, media)), media);
    assert.ok(packed(media), `${media} is not in the .vsix`);
    for (const m of (step.description as string).matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)) {
      assert.ok(commands.has(m[1]), `${step.id} links to an unknown command ${m[1]}`);
      if (m[1] === Commands.openSample) {
        const [sample] = JSON.parse(decodeURIComponent(m[2])) as string[];
        assert.ok(fs.existsSync(path.join(SAMPLES, sample)), sample);
        assert.ok(packed(`samples/${sample}`), `samples/${sample} is not in the .vsix`);
      }
    }
  }
  assert.equal(walkthrough.steps[0].description.includes(`command:${Commands.openSample}`), true, 'the first step opens a sample');
  for (const f of [pkg.icon, pkg.contributes.languages[0].icon.light.replace('./', ''), pkg.contributes.languages[0].icon.dark.replace('./', ''), 'ThirdPartyNotices.txt', 'CHANGELOG.md']) {
    assert.ok(fs.existsSync(path.join(ROOT, f)), f);
    assert.ok(packed(f), `${f} is not in the .vsix`);
  }
  const png = fs.readFileSync(path.join(ROOT, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.equal(pkg.contributes.taskDefinitions[0].type, TASK_TYPE);
  for (const k of ['freebsd', 'kernel', 'devfs', 'cam', 'model checking']) assert.ok(pkg.keywords.includes(k), k);
});

test('ThirdPartyNotices.txt names every library a bundle holds, and no bundle points at a source map', () => {
  const notices = fs.readFileSync(path.join(ROOT, 'ThirdPartyNotices.txt'), 'utf8');
  const bundled = new Set<string>();
  for (const map of fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js.map'))) {
    for (const source of JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', map), 'utf8')).sources as string[]) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source.slice(source.lastIndexOf('node_modules/')));
      if (m) bundled.add(m[1]);
    }
  }
  assert.ok(bundled.has('vscode-languageclient') && bundled.has('@vscode/debugadapter'), [...bundled].join(', '));
  for (const name of bundled) assert.match(notices, new RegExp(`^- ${name.replace(/[/.]/g, '\\$&')} \\S+ \\(`, 'm'), `${name} is not in ThirdPartyNotices.txt: run node scripts/third-party-notices.js`);
  for (const bundle of fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))) {
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, 'dist', bundle), 'utf8').slice(-300), /sourceMappingURL/, bundle);
  }
});
