// The bounds of one expression, for both parsers (the scenario's expressions and
// the C of drivers): hostile input (thousands of operators, hundreds of nested
// parentheses) gets one clear error instead of a deep recursion.

export const MAX_EXPRESSION_NESTING = 64;
export const MAX_EXPRESSION_OPERATORS = 1000;

export class ExpressionBudget {
  private nesting = 0;
  private operators = 0;

  /** A top-level expression starts: its operators are counted afresh. */
  start(): void {
    if (this.nesting === 0) this.operators = 0;
  }

  /** Counts an operator (or, `opens`, an operator or '(' that nests); the error to report when over. */
  spend(opens: boolean): string | undefined {
    if (++this.operators > MAX_EXPRESSION_OPERATORS) return `expression too long (more than ${MAX_EXPRESSION_OPERATORS} operators)`;
    if (opens && this.nesting >= MAX_EXPRESSION_NESTING) return `expression nests too deeply (more than ${MAX_EXPRESSION_NESTING} levels)`;
    return undefined;
  }

  /** Parses one level deeper. */
  nested<T>(parse: () => T): T {
    this.nesting++;
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }
}
