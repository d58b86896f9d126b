// Where the `driver NAME { ... }` blocks of a scenario are. Their bodies are C,
// not the line-oriented scenario language, so the scenario lexer must never see
// them: `maskDrivers` blanks them out (keeping line breaks, so every position
// stays where it was) and the C parser reads each region on its own.
//
// A region starts at a line whose first word is `driver`. Its braces are
// matched while skipping C comments and character and string literals. A line
// that starts with a scenario declaration keyword at or left of the `driver`
// keyword's column ends an unclosed block (the C parser reports the missing `}`).

/** One `driver` block: UTF-16 offsets into the scenario text, end exclusive. */
export interface DriverRegion {
  start: number;
  end: number;
  /** Zero-based line and column of `start`. */
  line: number;
  character: number;
}

const STOP_WORDS = /^(scenario|kernel|device|process|schedule|expect|driver)\b(?!-)/;
const DRIVER_WORD = /^driver(?![\w-])/;

export function findDriverRegions(text: string): DriverRegion[] {
  const regions: DriverRegion[] = [];
  const n = text.length;
  let line = 0;
  let i = 0;
  while (i < n) {
    // i is at the start of a line
    const lineStart = i;
    let j = i;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (DRIVER_WORD.test(text.slice(j, j + 7))) {
      const col = j - lineStart;
      const r = scanRegion(text, j, col);
      regions.push({ start: j, end: r.end, line, character: col });
      line += r.lines;
      i = r.end;
      // continue from the next line start
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    }
    if (i < n) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    }
  }
  return regions;
}

/** The end of the region that starts at `start`, and how many line breaks it contains. */
function scanRegion(text: string, start: number, col: number): { end: number; lines: number } {
  const n = text.length;
  let i = start + 'driver'.length;
  let depth = 0;
  let lines = 0;
  let lastCode = i; // end of the last thing that is not blank or a line break
  let seenOpen = false;
  let headerLines = 0; // line breaks before the '{'
  while (i < n) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      const next = i + (c === '\r' && text[i + 1] === '\n' ? 2 : 1);
      if (!seenOpen && ++headerLines > 1) return { end: lastCode, lines: countBreaks(text, start, lastCode) };
      // a declaration at or left of the driver's column: the block was left open
      let k = next;
      while (k < n && (text[k] === ' ' || text[k] === '\t')) k++;
      if (k - next <= col && STOP_WORDS.test(text.slice(k, k + 9))) {
        return { end: lastCode, lines: countBreaks(text, start, lastCode) };
      }
      lines++;
      i = next;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      lines += countBreaks(text, i, end);
      i = lastCode = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      lastCode = i;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n' && text[i] !== '\r') i += text[i] === '\\' ? 2 : 1;
      if (text[i] === c) i++;
      lastCode = i;
      continue;
    }
    if (c === '{') {
      seenOpen = true;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth <= 0) return { end: i + 1, lines };
    } else if (c === ';' && !seenOpen) {
      // `driver x;` has no body: end at the ';'
      return { end: i + 1, lines };
    }
    if (c !== ' ' && c !== '\t') lastCode = i + 1;
    i++;
  }
  return { end: lastCode, lines: countBreaks(text, start, lastCode) };
}

function countBreaks(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) {
    if (text[i] === '\n') k++;
    else if (text[i] === '\r' && text[i + 1] !== '\n') k++;
  }
  return k;
}

/** `text` with every driver region blanked (characters become spaces, line breaks stay). */
export function maskDrivers(text: string, regions: readonly DriverRegion[] = findDriverRegions(text)): string {
  if (regions.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of regions) {
    out += text.slice(at, r.start) + text.slice(r.start, r.end).replace(/[^\r\n]/g, ' ');
    at = r.end;
  }
  return out + text.slice(at);
}
