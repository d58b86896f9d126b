// The timeline webview's document. Strict Content-Security-Policy: nothing remote,
// no inline code; the one script (the bundled webview, dist/timeline.js) and the
// one style element carry this render's nonce. Colours are VS Code's theme
// variables, so the view reads in light, dark and high-contrast themes.
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

/** The view's style sheet (also used by the benchmark's page). */
export const TIMELINE_CSS = `
  :root { color-scheme: light dark; }
  body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #333); background: var(--vscode-editor-background, #fff); margin: 0; padding: 0 12px 12px; }
  header { position: sticky; top: 0; z-index: 2; background: var(--vscode-editor-background, #fff); padding: 8px 0 6px; display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
  h2 { font-size: 1.1em; margin: 0; font-weight: 600; }
  #status { color: var(--vscode-descriptionForeground, #717171); }
  .toolbar { display: flex; gap: 4px; align-items: center; margin-left: auto; }
  .toolbar button { font: inherit; color: var(--vscode-button-secondaryForeground, #333); background: var(--vscode-button-secondaryBackground, #ddd); border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 1px 8px; cursor: pointer; }
  .toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, #ccc); }
  .toolbar label { color: var(--vscode-descriptionForeground, #717171); display: flex; gap: 4px; align-items: center; }
  #outcome { margin: 0 0 6px; padding: 4px 8px; border-left: 3px solid var(--vscode-editorError-foreground, #e51400); background: var(--vscode-inputValidation-errorBackground, rgba(229, 20, 0, 0.08)); }
  #outcome[hidden] { display: none; }
  #plot { position: relative; outline: none; cursor: crosshair; user-select: none; }
  #plot:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0090f1); }
  #plot.dragging { cursor: grabbing; }
  #hover { position: absolute; top: 0; bottom: 0; pointer-events: none; background: var(--vscode-editor-hoverHighlightBackground, rgba(173, 214, 255, 0.3)); border-left: 1px solid var(--vscode-editorCursor-foreground, #000); }
  #hover[hidden], #tooltip[hidden] { display: none; }
  #tooltip { position: fixed; z-index: 3; max-width: min(520px, calc(100vw - 16px)); pointer-events: none; white-space: pre-wrap; font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; color: var(--vscode-editorHoverWidget-foreground, #333); background: var(--vscode-editorHoverWidget-background, #f3f3f3); border: 1px solid var(--vscode-editorHoverWidget-border, #c8c8c8); padding: 4px 8px; }
  #tooltip .head { font-weight: 600; }
  #status { min-width: 0; overflow-wrap: anywhere; }
  /* A narrow view (a side group) gives the drawing the room: the tab already says what it is. */
  @media (max-width: 480px) {
    body { padding: 0 4px 8px; }
    h2 { display: none; }
    header { gap: 4px 8px; }
  }
  svg.timeline { display: block; font-size: 11px; }
  svg text { fill: var(--vscode-foreground, #333); }
  .lane-bg { fill: transparent; }
  .lane-bg.odd { fill: var(--vscode-editorWidget-background, rgba(128, 128, 128, 0.06)); fill-opacity: 0.6; }
  .lane-name { font-weight: 700; font-size: 12px; }
  .row-label, .axis-value, .tick, .counter-now { fill: var(--vscode-descriptionForeground, #717171); }
  .row-label { font-size: 10px; }
  .axis-line { stroke: var(--vscode-editorRuler-foreground, #999); }
  .grid { stroke: var(--vscode-editorIndentGuide-background1, var(--vscode-editorIndentGuide-background, rgba(128, 128, 128, 0.25))); stroke-dasharray: 2 3; }
  .call { fill-opacity: 0.35; stroke-width: 1; stroke-opacity: 0.9; }
  .call.d0 { fill: var(--vscode-charts-foreground, #888); stroke: var(--vscode-charts-foreground, #888); fill-opacity: 0.18; }
  .call.d1 { fill: var(--vscode-charts-blue, #1a85ff); stroke: var(--vscode-charts-blue, #1a85ff); }
  .call.d2 { fill: var(--vscode-charts-purple, #b180d7); stroke: var(--vscode-charts-purple, #b180d7); }
  .call.d3 { fill: var(--vscode-charts-green, #388a34); stroke: var(--vscode-charts-green, #388a34); }
  .call.d4 { fill: var(--vscode-charts-blue, #1a85ff); stroke: var(--vscode-charts-blue, #1a85ff); fill-opacity: 0.18; }
  .call.d5 { fill: var(--vscode-charts-purple, #b180d7); stroke: var(--vscode-charts-purple, #b180d7); fill-opacity: 0.18; }
  .call.d6 { fill: var(--vscode-charts-green, #388a34); stroke: var(--vscode-charts-green, #388a34); fill-opacity: 0.18; }
  .merged { stroke: none; fill-opacity: 0.55; }
  .span-label { font-size: 10.5px; pointer-events: none; }
  /* Not charts.orange: themes derive it from the minimap's find colour, which is translucent. */
  .lock { fill: var(--vscode-editorWarning-foreground, #bf8803); fill-opacity: 0.7; }
  .lock.held { fill-opacity: 1; }
  .counter-bg { fill: var(--vscode-editorWidget-background, rgba(128, 128, 128, 0.06)); fill-opacity: 0.5; stroke: var(--vscode-widget-border, rgba(128, 128, 128, 0.3)); }
  .counter-name { font-weight: 600; }
  .counter .series { fill: none; stroke: var(--vscode-charts-green, #388a34); stroke-width: 1.8; }
  .counter.c1 .series { stroke: var(--vscode-charts-purple, #b180d7); }
  .counter.c2 .series { stroke: var(--vscode-charts-blue, #1a85ff); }
  .counter.c3 .series { stroke: var(--vscode-charts-foreground, #888); }
  .write { fill: var(--vscode-editor-background, #fff); stroke: var(--vscode-foreground, #333); stroke-width: 1.2; }
  .handoff { fill: none; stroke: var(--vscode-editorWarning-foreground, #bf8803); stroke-width: 1.1; stroke-opacity: 0.7; stroke-dasharray: 3 2; }
  .arrow-head { fill: var(--vscode-editorWarning-foreground, #bf8803); }
  .panic-band { fill: var(--vscode-editorError-foreground, #e51400); fill-opacity: 0.25; }
  .panic-mark { fill: var(--vscode-editorError-foreground, #e51400); stroke: var(--vscode-editor-background, #fff); }
  .panic-label { fill: var(--vscode-editorError-foreground, #e51400); font-weight: 700; }
  .cursor-line { stroke: var(--vscode-debugIcon-stepOverForeground, var(--vscode-focusBorder, #0090f1)); stroke-width: 2; }
  .cursor-head { fill: var(--vscode-debugIcon-stepOverForeground, var(--vscode-focusBorder, #0090f1)); }
  .note { fill: var(--vscode-descriptionForeground, #717171); font-style: italic; }
`;

/**
 * The view: a header (status, zoom buttons, follow toggle), the outcome of the run,
 * the drawing and a hover card. The script (webview/main.ts, bundled) posts
 * `ready`, `gotoStep` and `details` and receives `model`, `cursor`, `step`,
 * `empty` and `ended` (messages.ts).
 */
export function timelineHtml(cspSource: string, nonce: string, scriptUri = 'timeline.js'): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>camsim timeline</title>
<style nonce="${nonce}">${TIMELINE_CSS}</style>
</head>
<body>
<header>
  <h2>camsim timeline</h2>
  <span id="status" role="status">Waiting for the debugger…</span>
  <div class="toolbar">
    <button id="zoom-in" type="button" title="Zoom in (+, or Ctrl+wheel)">+</button>
    <button id="zoom-out" type="button" title="Zoom out (-)">−</button>
    <button id="fit" type="button" title="Show the whole run (0)">Fit</button>
    <label title="Scroll to the debugger's step when it moves"><input id="follow" type="checkbox" checked> Follow the debugger</label>
  </div>
</header>
<div id="outcome" role="alert" hidden></div>
<div id="plot" tabindex="0" aria-label="Timeline: click a step to move the debugger there; + and - zoom, arrows scroll"><div id="hover" hidden></div></div>
<div id="tooltip" hidden></div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
