// What a scenario text means, for comparing a text with its formatted form: the
// parsed tree without positions (comments keep their text, trailing blanks
// aside), the syntax errors and the checker's codes.

import { analyze } from '../../core/scenario';

const POSITIONS: ReadonlySet<string> = new Set(['range', 'countRange', 'timesRange', 'textRange', 'closeRange']);

export function meaning(text: string): unknown {
  const { scenario, diagnostics } = analyze(text);
  const tree = JSON.parse(JSON.stringify(scenario, (k, v: unknown) => (POSITIONS.has(k) ? undefined : v))) as { comments: { text: string }[] };
  tree.comments = tree.comments.map((c) => ({ text: c.text.trimEnd() }));
  return { tree, codes: diagnostics.map((d) => d.code) };
}
