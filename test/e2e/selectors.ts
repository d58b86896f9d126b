// The VS Code workbench's DOM as of code-server 4.139.1 (VS Code 1.139.1), in one
// place, so that a VS Code update is fixed here and nowhere else.
export const Sel = {
  workbench: '.monaco-workbench',
  statusBar: '#workbench\\.parts\\.statusbar',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeTab: '.tabs-container .tab.active',
  /** The active tab of the active editor group (where the editor shows a stop). */
  activeGroupTab: '.editor-group-container.active .tabs-container .tab.active',
  activeEditor: '.editor-group-container.active .monaco-editor',
  editorActions: '.editor-group-container.active .editor-actions .action-label',
  /** Rendered source lines; each token is a span with a theme class mtkN. */
  viewLine: '.editor-group-container.active .monaco-editor .view-lines .view-line',
  problemRow: '.markers-panel .monaco-list-row',
  variablesView: '.pane-body.debug-variables',
  debugToolbar: '.debug-toolbar',
  /** Shown (instead of Pause) while the debuggee is stopped. */
  debugContinue: '.debug-toolbar .action-label.codicon-debug-continue',
  debugStepBack: '.debug-toolbar .action-label.codicon-debug-step-back',
  debugReverseContinue: '.debug-toolbar .action-label.codicon-debug-reverse-continue',
  contextMenuItem: '.context-view .monaco-menu .action-item',
  breakpointRow: '.pane-body.debug-breakpoints .monaco-list-row',
  replRow: '.repl .monaco-list-row',
  exceptionWidget: '.exception-widget',
  /** The status bar's "Ln N, Col M". */
  cursorPosition: '#status\\.editor\\.selection',
  /** A row of the Quick Fix menu (Ctrl+.). */
  actionWidgetItem: '.action-widget .monaco-list-row.action',
  /** The name box of a new function breakpoint, in the Breakpoints view. */
  breakpointInput: '.monaco-list-row .breakpoint .inputBoxContainer input',
  notificationToast: '.notifications-toasts .notification-toast',
  notificationMessage: '.notification-list-item-message',
  webviewHost: 'iframe.webview.ready',
  webviewContent: 'iframe#active-frame',
} as const;
