// The timeline webview's document. Strict Content-Security-Policy: nothing remote,
// no inline code except the one script and style carrying this render's nonce.
// No editor imports, so it can be tested without VS Code.
import { randomBytes } from 'crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/**
 * Placeholder view until the timeline is drawn: it shows how many steps the session
 * has recorded and where its cursor is, and already speaks the messages the real
 * timeline uses: it posts `ready` and `{ type: 'gotoStep', step }`, and receives
 * `{ type: 'trace', trace }` (the camsim/trace response body { steps, cursor,
 * total, from }, or null).
 */
export function timelineHtml(cspSource: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>camsim timeline</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1em; }
  #status { color: var(--vscode-descriptionForeground); }
</style>
</head>
<body>
<h2>camsim timeline</h2>
<p id="status">Waiting for the debugger…</p>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  const status = document.getElementById('status');
  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || msg.type !== 'trace') return;
    const trace = msg.trace;
    if (!trace) { status.textContent = 'No camsim debug session.'; return; }
    const steps = typeof trace.total === 'number' ? trace.total : Array.isArray(trace.steps) ? trace.steps.length : 0;
    const cursor = typeof trace.cursor === 'number' ? trace.cursor : steps;
    status.textContent = steps + ' steps recorded; the debugger is at step ' + cursor + '.';
  });
  vscode.postMessage({ type: 'ready' });
</script>
</body>
</html>`;
}
