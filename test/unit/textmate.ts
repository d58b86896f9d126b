// syntaxes/camsim.tmLanguage.json loaded by VS Code's own TextMate engine
// (vscode-textmate on the Oniguruma regex library), once per test process.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const GRAMMAR = path.resolve(__dirname, '..', '..', '..', 'syntaxes', 'camsim.tmLanguage.json');
let loaded: Promise<vsctm.IGrammar> | undefined;

export function camsimGrammar(): Promise<vsctm.IGrammar> {
  loaded ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scope: string) => (scope === 'source.camsim' ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null),
    });
    const g = await registry.loadGrammar('source.camsim');
    if (!g) throw new Error('the grammar did not load');
    return g;
  })();
  return loaded;
}
