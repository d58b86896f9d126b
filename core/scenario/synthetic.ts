// Scenarios made by code, for stress tests and benchmarks: sizes no one writes by hand.

/**
 * `n` after-fix pass devices, and two processes that open and close each of them
 * in turn; `expect no panic` at the end unless `expect` is false.
 */
export function manyDevicesScenario(n: number, expect = true): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`device pass${i}: pass after-fix`);
  for (const p of ['A', 'B']) {
    lines.push(`process ${p} {`);
    for (let i = 0; i < n; i++) lines.push(`  open pass${i} as f${i}`, `  close f${i}`);
    lines.push('}');
  }
  if (expect) lines.push('expect no panic');
  return lines.join('\n') + '\n';
}
