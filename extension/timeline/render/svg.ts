// A drawing as plain data: the timeline's renderer returns this tree, the webview
// turns it into DOM nodes and tests and benchmarks read or serialise it in node.

export interface SvgNode {
  tag: string;
  attrs: Record<string, string | number>;
  children?: SvgNode[];
  /** Text content (for <text> and <title>). */
  text?: string;
}

export function el(tag: string, attrs: Record<string, string | number>, children?: SvgNode[], text?: string): SvgNode {
  const node: SvgNode = { tag, attrs };
  if (children) node.children = children;
  if (text !== undefined) node.text = text;
  return node;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

/** The tree as SVG markup (tests, benchmarks, a saved picture). */
export function toSvgString(node: SvgNode): string {
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
    .join('');
  const inner = (node.text !== undefined ? escape(node.text) : '') + (node.children ?? []).map(toSvgString).join('');
  return `<${node.tag}${attrs}${inner ? `>${inner}</${node.tag}>` : '/>'}`;
}

/** Number of nodes in the tree (what the browser would have to create). */
export function countNodes(node: SvgNode): number {
  let n = 1;
  for (const c of node.children ?? []) n += countNodes(c);
  return n;
}

/** Every node of the tree, depth first, for which `keep` holds. */
export function findNodes(node: SvgNode, keep: (n: SvgNode) => boolean, out: SvgNode[] = []): SvgNode[] {
  if (keep(node)) out.push(node);
  for (const c of node.children ?? []) findNodes(c, keep, out);
  return out;
}

/** Whether the node's class attribute lists `name`. */
export function hasClass(node: SvgNode, name: string): boolean {
  const cls = node.attrs.class;
  return typeof cls === 'string' && cls.split(' ').includes(name);
}
