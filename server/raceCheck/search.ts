// A quick, bounded breadth-first search over a scenario's interleavings: from
// each state, every runnable process runs one slice (to its next scheduling
// point). States already seen are skipped (keyed by a hash of the machine minus
// its static config and step clock). Breadth first, so the first witness of an
// outcome is a shortest schedule for it.
//
// It runs in chunks (`run(deadline)`) so that the language server can yield to
// its event loop between them, and stops at a state budget. This is the
// server's stand-in for the full explorer; only `BoundedSearch` and its result
// type are used outside this file.

import { createHash } from 'node:crypto';
import type { Machine, MachineConfig } from '../../core/kernel/state';
import { deadlockOutcome, initialMachine, runnable, slice, status, type Status } from '../../core/engine/machine';
import { checkExpectations } from '../../core/engine/expectations';
import type { RunResult } from '../../core/engine/run';
import type { Scenario } from '../../core/scenario';

export interface Witness {
  /** One pid per slice from the initial state. */
  pids: number[];
  status: Status;
  /** The panic, use after free or deadlock message; for an expectation, why it failed. */
  message: string;
}

export interface SearchResult {
  states: number;
  /** Every reachable state was visited. */
  complete: boolean;
  /** The shortest interleaving found that panics (or uses a freed periph), if any. */
  panic?: Witness;
  deadlock?: Witness;
  /** Per index into scenario.expectations: a finished interleaving on which it fails (no leak, conditions). */
  failed: Map<number, Witness>;
  /** Some interleaving finished normally. */
  finishedSeen: boolean;
}

function stateKey(m: Machine): string {
  // config is shared and static; clock counts steps and differs between orders reaching one state
  const json = JSON.stringify([m.devs, m.locks, m.procs, m.tasks]);
  return createHash('sha1').update(json).digest('base64');
}

export class BoundedSearch {
  private readonly visited = new Set<string>();
  /** The frontier: machines not yet expanded, with their node index. */
  private queue: { m: Machine; node: number }[] = [];
  private head = 0;
  /** Per node: its parent node and the pid of the slice that led to it. */
  private readonly parent: number[] = [];
  private readonly pidOf: number[] = [];
  private readonly result: SearchResult = { states: 0, complete: false, failed: new Map(), finishedSeen: false };
  /** Expectations a finished run can fail (no leak, conditions), by index. */
  private readonly finalChecks: number[];

  constructor(
    readonly config: MachineConfig,
    private readonly scenario: Scenario,
    private readonly text: string,
    private readonly maxStates: number,
  ) {
    this.finalChecks = scenario.expectations.flatMap((e, i) => (e.what === 'no leak' || (e.what === 'expr' && e.expr) ? [i] : []));
    const m0 = initialMachine(config);
    this.visited.add(stateKey(m0));
    this.parent.push(-1);
    this.pidOf.push(-1);
    this.result.states = 1;
    this.classify(m0, 0);
  }

  /** The node being expanded: its machine, its index, the pids still to run from it. */
  private expanding: { m: Machine; node: number; pids: number[]; next: number } | undefined;

  /**
   * Runs until done or until `deadline` (a performance.now() time), checking the
   * clock after every slice (one state of a large scenario can be costly);
   * true when the search is over.
   */
  run(deadline: number): boolean {
    for (;;) {
      if (this.result.states >= this.maxStates) return true;
      if (!this.expanding) {
        if (this.head >= this.queue.length) break;
        const { m, node } = this.queue[this.head];
        this.queue[this.head++] = undefined as never; // let the expanded machine go
        this.expanding = { m, node, pids: runnable(m), next: 0 };
        this.compact();
      }
      const e = this.expanding;
      if (e.next >= e.pids.length) {
        this.expanding = undefined;
        continue;
      }
      const next = slice(e.m, e.pids[e.next]);
      const pid = e.pids[e.next++];
      const key = stateKey(next);
      if (!this.visited.has(key)) {
        this.visited.add(key);
        const child = this.parent.push(e.node) - 1;
        this.pidOf.push(pid);
        this.result.states++;
        this.classify(next, child);
      }
      if (performance.now() >= deadline) return false;
    }
    this.result.complete = true;
    return true;
  }

  /** Drops the expanded part of the queue now and then. */
  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  get outcome(): SearchResult {
    return this.result;
  }

  private path(node: number): number[] {
    const pids: number[] = [];
    for (let n = node; n > 0; n = this.parent[n]) pids.push(this.pidOf[n]);
    return pids.reverse();
  }

  /** Records what a new state ends in; queues it when it is still running. */
  private classify(m: Machine, node: number): void {
    const st = status(m);
    switch (st) {
      case 'running':
        this.queue.push({ m, node });
        return;
      case 'panic':
      case 'use-after-free':
        if (!this.result.panic) this.result.panic = { pids: this.path(node), status: st, message: m.outcome?.message ?? st };
        return;
      case 'deadlock':
        if (!this.result.deadlock) this.result.deadlock = { pids: this.path(node), status: st, message: deadlockOutcome(m).message };
        return;
      case 'finished': {
        this.result.finishedSeen = true;
        if (this.finalChecks.every((i) => this.result.failed.has(i))) return;
        const run: RunResult = { final: m, steps: [], slices: [], status: 'finished', outcome: null, notes: [], truncated: false };
        const results = checkExpectations(this.scenario, this.text, run);
        for (const i of this.finalChecks) {
          if (!results[i].held && !this.result.failed.has(i)) {
            this.result.failed.set(i, { pids: this.path(node), status: st, message: results[i].detail });
          }
        }
      }
    }
  }
}
