// Typed arrays that grow as they fill (a column of small integers costs a few
// bytes an entry, not a boxed value): the caller checks for room on its hot
// path and asks for a bigger copy only when full.

type IntArray = Int32Array | Uint16Array;

/** A copy of `a` twice as long, or `atLeast` long when that is more: amortized constant time a push. */
export function grown<A extends IntArray>(a: A, atLeast = 0): A {
  const bigger = new (a.constructor as new (length: number) => A)(Math.max(a.length * 2, atLeast));
  bigger.set(a);
  return bigger;
}
