import type { Request } from 'express';
import { wantsJson } from './error-handler';
import { AppError } from './errors';

/** A form post refused for something the person can put right, with what they posted. */
export interface FormRefusal {
  status: number;
  message: string;
  /** A posted text field, or '' when absent. */
  field(name: string): string;
}

/**
 * Runs a form's change. When it is refused with 409 or 422 (and the browser asked for a page), `showAgain`
 * renders the form's page with the problem and the posted values instead of the bare error page; anything
 * else is thrown on. Answers whether the change went through.
 */
export async function attemptForm(req: Request, change: () => Promise<void>, showAgain: (refusal: FormRefusal) => Promise<void>): Promise<boolean> {
  try {
    await change();
    return true;
  } catch (err) {
    if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 422) || wantsJson(req)) throw err;
    const body = (req.body ?? {}) as Record<string, unknown>;
    await showAgain({ status: err.status, message: err.message, field: (name) => (typeof body[name] === 'string' ? (body[name] as string) : '') });
    return false;
  }
}
