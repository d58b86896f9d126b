// The camsim language server: wires the features to an LSP connection. Every
// feature reads the document's current analysis (core/scenario's parser and
// checker); nothing here imports an editor library other than the LSP server's.

import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  ExecuteCommandRequest,
  MessageType,
  ShowMessageNotification,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentHighlightRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  SemanticTokensRequest,
  CodeLensRefreshRequest,
  CompletionTriggerKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeLensParams,
  type Connection,
  type DidSaveTextDocumentParams,
  type DocumentFormattingParams,
  type DocumentSymbolParams,
  type FoldingRangeParams,
  type InitializeResult,
  type Position,
  type SemanticTokensParams,
  type WillSaveTextDocumentParams,
  NotificationType,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RaceCheckNotification, type RaceCheckParams, type ServerInitializationOptions } from '../core/protocol';
import { AnalysisCache, type DocAnalysis } from './analysis';
import { codeActions, INSERT_SCHEDULE_KIND } from './codeActions';
import { codeLenses } from './codeLens';
import { runServerCommand, SERVER_COMMAND_IDS } from './commands';
import { complete, TRIGGER_CHARACTERS } from './completion';
import { toLspDiagnostic } from './convert';
import { Debouncer } from './debounce';
import { formatDocument } from './formatting';
import { hover } from './hover';
import { definition, highlights, prepareRename, references, rename, RenameError } from './navigation';
import { documentSymbols, foldingRanges } from './outline';
import { codeActionParams, completionParams, executeCommandParams, didChangeParams, didCloseParams, didOpenParams, documentParams, InvalidParams, positionParams, referenceParams, renameParams } from './params';
import { RaceChecker } from './raceCheck/raceChecker';
import { SEMANTIC_LEGEND, semanticTokens } from './semanticTokens';
import { raceCheckSettings, SECTION, serverTiming, type ServerTiming } from './settings';
import { camsimVersion } from '../core/version';

const raceCheckNotification = new NotificationType<RaceCheckParams>(RaceCheckNotification.method);

export const SERVER_NAME = 'camsim-language-server';

/** How long a debounced burst of changes may wait for its diagnostics at most. */
const MAX_DIAGNOSTICS_WAIT_MS = 250;
/** The shortest coalescing window of diagnostics (the longest is the diagnosticsDelayMs initialization option). */
const MIN_DIAGNOSTICS_WINDOW_MS = 10;

export interface ServerOptions {
  /** The script that started the server (main.ts, compiled or bundled): the background check's worker runs it. */
  workerScript: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache();
  let timing: ServerTiming = serverTiming(undefined);
  /** Twice the document's last analysis time, within bounds. */
  const windowOf = (uri: string): number => {
    const last = analyses.peek(uri)?.durationMs ?? 0;
    return Math.min(timing.diagnosticsDelayMs, Math.max(MIN_DIAGNOSTICS_WINDOW_MS, 2 * last));
  };
  const debouncer = new Debouncer(windowOf, MAX_DIAGNOSTICS_WAIT_MS);
  let configurationRequests = false;
  let dynamicConfiguration = false;
  let snippets = false;
  let codeLensRefresh = false;

  const log = (message: string): void => connection.console.log(message);

  const analysisOf = (uri: string): DocAnalysis | undefined => {
    const doc = documents.get(uri);
    return doc ? analyses.get(doc) : undefined;
  };

  const makeChecker = (): RaceChecker =>
    new RaceChecker(
      {
        current: analysisOf,
        finished: (uri: string, params: RaceCheckParams) => {
          publish(uri);
          void connection.sendNotification(raceCheckNotification, params);
          // the Debug Counterexample lenses follow the result
          if (codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
        },
        log,
      },
      { quietMs: timing.raceCheckDelayMs, workerScript: options.workerScript },
    );
  let checker = makeChecker();
  /** The bounds of a check the server runs itself (the background check's settings). */
  let bounds = raceCheckSettings(undefined);
  /** Whether the client is the camsim extension, whose own commands code lenses name. */
  let extensionCommands = false;

  /** Sends the document's diagnostics: the checker's and the background check's. */
  function publish(uri: string): void {
    const doc = documents.get(uri);
    if (!doc) return;
    const a = analyses.get(doc);
    const diagnostics = a.diagnostics.map((d) => toLspDiagnostic(d, uri)).concat(checker.diagnostics(a));
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    checker.analyzed(a);
  }

  /** Parameters that do not have the shape LSP prescribes: one line in the log, InvalidParams as the answer. */
  function invalid(name: string, err: InvalidParams): ResponseError<void> {
    connection.console.warn(`${name}: invalid params: ${err.message}`);
    return new ResponseError(ErrorCodes.InvalidParams, `invalid params: ${err.message}`);
  }

  /**
   * Runs a request handler on parameters that passed `check` (server/params.ts);
   * an unexpected failure is logged and answered with `fallback`. Handlers are
   * registered with `onRequest` itself: the library's onHover, onCompletion, ...
   * read the parameters (for progress tokens) before any check could run.
   */
  function safely<P, R>(name: string, fallback: R, check: (raw: unknown) => P, fn: (params: P) => R): (raw: unknown) => R {
    return (raw: unknown) => {
      let params: P;
      try {
        params = check(raw);
      } catch (err) {
        if (err instanceof InvalidParams) throw invalid(name, err);
        throw err;
      }
      // A document the editor asks about is one it shows: its background check goes first.
      const uri = (params as { textDocument: { uri: string } }).textDocument.uri;
      if (documents.get(uri)) checker.touched(uri);
      try {
        return fn(params);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        if (err instanceof RenameError) throw new ResponseError(LSPErrorCodes.RequestFailed, err.message);
        connection.console.error(`${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return fallback;
      }
    };
  }

  /** The document and its current analysis for a request, or undefined when it is not open. */
  function target(uri: string): { doc: TextDocument; a: DocAnalysis } | undefined {
    const doc = documents.get(uri);
    return doc ? { doc, a: analyses.get(doc) } : undefined;
  }

  function lineText(doc: TextDocument, line: number): string {
    if (line < 0 || line >= doc.lineCount) return '';
    return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
  }

  /** A position from the client, kept inside the document. */
  function clamp(doc: TextDocument, p: Position): Position {
    const line = Math.max(0, Math.min(Math.floor(Number(p?.line) || 0), Math.max(0, doc.lineCount - 1)));
    const character = Math.max(0, Math.min(Math.floor(Number(p?.character) || 0), lineText(doc, line).length));
    return { line, character };
  }

  async function refreshSettings(section?: unknown): Promise<void> {
    try {
      const value = configurationRequests ? await connection.workspace.getConfiguration(SECTION) : section;
      bounds = raceCheckSettings(value);
      if (checker.configure(bounds, documents.keys())) {
        // One document at a time, letting requests in between: a hundred open documents
        // must not hold up the hover the editor asks for meanwhile.
        for (const uri of documents.keys()) {
          publish(uri);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } catch (err) {
      connection.console.error(`reading the settings failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    configurationRequests = caps.workspace?.configuration === true;
    dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    snippets = caps.textDocument?.completion?.completionItem?.snippetSupport === true;
    codeLensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    timing = serverTiming(params.initializationOptions);
    extensionCommands = (params.initializationOptions as ServerInitializationOptions | undefined)?.extensionCommands === true;
    checker = makeChecker();
    return {
      serverInfo: { name: SERVER_NAME, version: camsimVersion() },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, INSERT_SCHEDULE_KIND] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: SERVER_COMMAND_IDS },
      },
    };
  });

  connection.onInitialized(() => {
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    void refreshSettings();
  });

  connection.onDidChangeConfiguration((params) => {
    const settings = params?.settings as Record<string, unknown> | undefined;
    void refreshSettings(settings && typeof settings === 'object' ? settings[SECTION] : undefined);
  });

  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    checker.edited(uri);
    debouncer.trigger(uri, () => publish(uri));
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    debouncer.cancel(uri);
    checker.closed(uri);
    analyses.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.onRequest(CompletionRequest.type, safely('completion', [], completionParams, (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const pos = clamp(doc, p.position);
    const trigger = p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? p.context.triggerCharacter : undefined;
    return complete(analyses.forCompletion(doc).scenario, lineText(doc, pos.line), pos, snippets, trigger);
  }));

  connection.onRequest(HoverRequest.type, safely('hover', null, positionParams, (p) => {
    const t = target(p.textDocument.uri);
    if (!t) return null;
    const pos = clamp(t.doc, p.position);
    return hover(t.a, lineText(t.doc, pos.line), pos);
  }));

  connection.onRequest(DefinitionRequest.type, safely('definition', null, positionParams, (p) => {
    const t = target(p.textDocument.uri);
    return t ? definition(t.a, clamp(t.doc, p.position)) : null;
  }));

  connection.onRequest(ReferencesRequest.type, safely('references', [], referenceParams, (p) => {
    const t = target(p.textDocument.uri);
    return t ? references(t.a, clamp(t.doc, p.position), p.context?.includeDeclaration !== false) : [];
  }));

  connection.onRequest(DocumentHighlightRequest.type, safely('documentHighlight', [], positionParams, (p) => {
    const t = target(p.textDocument.uri);
    return t ? highlights(t.a, clamp(t.doc, p.position)) : [];
  }));

  connection.onRequest(PrepareRenameRequest.type, safely('prepareRename', null, positionParams, (p) => {
    const t = target(p.textDocument.uri);
    return t ? prepareRename(t.a, clamp(t.doc, p.position)) : null;
  }));

  connection.onRequest(RenameRequest.type, safely('rename', null, renameParams, (p) => {
    const t = target(p.textDocument.uri);
    if (!t) return null;
    return rename(t.a, clamp(t.doc, p.position), p.newName);
  }));

  connection.onRequest(DocumentSymbolRequest.type, safely('documentSymbol', [], documentParams<DocumentSymbolParams>, (p) => {
    const t = target(p.textDocument.uri);
    return t ? documentSymbols(t.a.scenario, t.a.text) : [];
  }));

  connection.onRequest(FoldingRangeRequest.type, safely('foldingRange', [], documentParams<FoldingRangeParams>, (p) => {
    const t = target(p.textDocument.uri);
    return t ? foldingRanges(t.a.scenario, t.a.text) : [];
  }));

  connection.onRequest(SemanticTokensRequest.type, safely('semanticTokens', { data: [] }, documentParams<SemanticTokensParams>, (p) => {
    const t = target(p.textDocument.uri);
    return t ? semanticTokens(t.a.text, t.a.scenario, t.a.occurrences) : { data: [] };
  }));

  connection.onRequest(DocumentFormattingRequest.type, safely('formatting', [], documentParams<DocumentFormattingParams>, (p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? formatDocument(doc, p.options) : [];
  }));

  connection.onRequest(CodeActionRequest.type, safely('codeAction', [], codeActionParams, (p) => {
    const t = target(p.textDocument.uri);
    if (!t) return [];
    const range = { start: clamp(t.doc, p.range.start), end: clamp(t.doc, p.range.end) };
    return codeActions(t.a, range, p.context?.diagnostics ?? [], checker.report(t.a), p.context?.only);
  }));

  connection.onRequest(CodeLensRequest.type, safely('codeLens', [], documentParams<CodeLensParams>, (p) => {
    const t = target(p.textDocument.uri);
    return t ? codeLenses(t.a.uri, t.a.scenario, checker.report(t.a), extensionCommands) : [];
  }));

  connection.onRequest(ExecuteCommandRequest.type, async (raw: unknown) => {
    let p: { command: string; uri: string };
    try {
      p = executeCommandParams(raw, SERVER_COMMAND_IDS);
    } catch (err) {
      if (err instanceof InvalidParams) throw invalid('executeCommand', err);
      throw err;
    }
    const doc = documents.get(p.uri);
    if (!doc) throw new ResponseError(LSPErrorCodes.RequestFailed, `${p.uri} is not open`);
    const result = await runServerCommand(p.command, p.uri, doc.getText(), bounds);
    // A notification, not window/showMessageRequest: nothing to choose, nothing to wait for.
    void connection.sendNotification(ShowMessageNotification.type, { type: result.verdict === 'ok' ? MessageType.Info : MessageType.Warning, message: result.headline });
    return result;
  });

  // A handler that throws asynchronously must not take the server down.
  process.on('uncaughtException', (err) => connection.console.error(`unexpected error: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => connection.console.error(`unexpected rejection: ${String(err)}`));

  documents.listen(checkedDocumentSync(connection));
}

/**
 * The connection as the document manager sees it: each document notification
 * is checked first (server/params.ts), and one with the wrong shape is logged in
 * one line and dropped (a notification has no answer to carry an error).
 */
function checkedDocumentSync(connection: Connection): Parameters<TextDocuments<TextDocument>['listen']>[0] {
  const checked = <P>(name: string, check: (raw: unknown) => P, handler: (p: P) => void) => (raw: unknown) => {
    let p: P;
    try {
      p = check(raw);
    } catch (err) {
      if (!(err instanceof InvalidParams)) throw err;
      connection.console.warn(`${name}: invalid params, ignored: ${err.message}`);
      return;
    }
    handler(p);
  };
  return {
    onDidOpenTextDocument: (h) => connection.onDidOpenTextDocument(checked('didOpen', didOpenParams, h)),
    onDidChangeTextDocument: (h) => connection.onDidChangeTextDocument(checked('didChange', didChangeParams, h)),
    onDidCloseTextDocument: (h) => connection.onDidCloseTextDocument(checked('didClose', didCloseParams, h)),
    onWillSaveTextDocument: (h) => connection.onWillSaveTextDocument(checked('willSave', documentParams<WillSaveTextDocumentParams>, h)),
    onWillSaveTextDocumentWaitUntil: (h) => connection.onWillSaveTextDocumentWaitUntil(h),
    onDidSaveTextDocument: (h) => connection.onDidSaveTextDocument(checked('didSave', documentParams<DidSaveTextDocumentParams>, h)),
  };
}
