// "Why this value?": lists the steps that wrote a counter (custom DAP request
// camsim/why), newest first; picking one moves the debugger there (camsim/gotoStep).
// Invoked from the Variables view's context menu, or with an expression typed in.
import * as vscode from 'vscode';
import { CustomRequests, type WhyResponse, type WriteView } from '../../core/protocol';
import { customRequest } from '../customRequest';
import { activeCamsimSession } from '../debugSession';

/** The Variables view passes the variable the menu was opened on. */
interface VariableMenuArgs {
  variable?: { name?: string; evaluateName?: string };
}

/** The writes of an answer from another process, the ones with a step only. */
function writesOf(body: WhyResponse | undefined): WriteView[] {
  const list: unknown = body?.writes;
  return Array.isArray(list) ? list.filter((w) => typeof w?.step === 'number') : [];
}

export async function whyValue(arg: unknown): Promise<void> {
  const session = activeCamsimSession();
  if (!session) return;
  const variable = (arg as VariableMenuArgs | undefined)?.variable;
  const expression =
    variable?.evaluateName ??
    variable?.name ??
    (await vscode.window.showInputBox({ prompt: 'Which counter?', placeHolder: 'pass0.refcount' }));
  if (!expression) return;
  const body = await customRequest(session, CustomRequests.why, { expression });
  const writes = writesOf(body);
  if (writes.length === 0) {
    void vscode.window.showInformationMessage(`camsim: nothing has written ${expression} yet.`);
    return;
  }
  const pick = await vscode.window.showQuickPick(
    writes.map((w) => ({
      label: `step ${w.step}: ${String(w.old)} → ${String(w.new)}`,
      description: [w.process, w.function].join(' · '),
      detail: `${w.code}${w.file ? `  (${w.file}:${w.line})` : ''}`,
      write: w,
    })),
    {
      title: `Why is ${expression} what it is? ${body?.total ?? writes.length} writes, newest first`,
      placeHolder: 'Pick a write to go to that step',
    },
  );
  if (!pick) return;
  await customRequest(session, CustomRequests.gotoStep, { step: pick.write.step });
}
