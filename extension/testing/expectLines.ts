// Finds the `expect` lines of a scenario: each is one test item of the Testing view.
// `expect` is a top-level declaration, one per line, so a line that starts with the
// word is one; a comment after it is not part of its name. No editor imports.

export interface ExpectLine {
  /** 0-based, as `camsim check --json` numbers expectations. */
  line: number;
  /** Columns of the expectation on its line (without indentation or comment). */
  start: number;
  end: number;
  /** As written, spaces collapsed: `expect pass0.refcount == 1`. */
  text: string;
}

const EXPECT = /^(\s*)(expect\b[^#]*?)\s*(?:#.*)?$/;

export function expectLines(text: string): ExpectLine[] {
  const out: ExpectLine[] = [];
  text.split(/\r?\n/).forEach((source, line) => {
    const m = EXPECT.exec(source);
    if (!m) return;
    const start = m[1].length;
    out.push({ line, start, end: start + m[2].length, text: m[2].replace(/\s+/g, ' ') });
  });
  return out;
}
