// Preloaded into a camsim process by bench/memory.ts (`node -r out/bench/peakRss.js ...`):
// writes the process's peak resident set size to standard error as it exits.
// On Linux it is the VmHWM of /proc/self/status: getrusage's maxRSS keeps the
// high-water mark of the process that started this one (it survives exec).

import { readFileSync, writeSync } from 'node:fs';

function peakKb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  writeSync(2, `\npeak-rss-kb ${peakKb()}\n`);
});
