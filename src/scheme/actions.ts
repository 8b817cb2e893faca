/** What a coordinator's action on one record (an application, a meeting) answers. */
export type ActionResult = { ok: boolean; status?: number; message?: string };
export type RecordAction = (courseId: string, id: string, body: Record<string, unknown>) => Promise<ActionResult>;

/** Runs the action; a form that does not parse (422) comes back as a refusal to show beside the form, anything else is thrown. */
export async function runAction(act: RecordAction, courseId: string, id: string, body: Record<string, unknown>): Promise<ActionResult> {
  try {
    return await act(courseId, id, body);
  } catch (err) {
    const e = err as { status?: number; message: string };
    if (e.status !== 422) throw err;
    return { ok: false, status: 422, message: e.message };
  }
}
