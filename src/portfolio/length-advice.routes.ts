import { Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { AppError } from '../http/errors';
import { check, h, render, urlOf, whoOf } from '../http/route-kit';
import { wordRange, type FrameworkRegistry } from './framework';
import { courseScheme, setWordAdvice } from './course-scheme';

/**
 * The coordinator's length advice for the course: shown on every section page in place of the scheme's
 * advice (which, for CMALT, gives no per-area figure). Advice, never a limit.
 */
const num = (label: string) =>
  z
    .string()
    .trim()
    .max(6)
    .transform((v) => (v === '' ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isInteger(v) && v >= 1 && v <= 50_000), `${label} must be a whole number between 1 and 50,000, or empty.`);
const adviceForm = z.object({
  min: num('The smallest number of words').default(''),
  max: num('The largest number of words').default(''),
  note: z.string().trim().max(200, 'The note must be 200 characters or fewer.').default(''),
});

export function lengthAdviceRouter(registry: FrameworkRegistry): Router {
  const router = Router();
  router.use(requireRole('coordinator'));
  const page = async (res: Response, status: number, done: string, error: string | null, values?: Record<string, unknown>) => {
    const who = whoOf(res);
    const scheme = await courseScheme(registry, who.courseId);
    const g = scheme.framework.guidance.words;
    res.status(status);
    await render(res, 'portfolio/length-advice', {
      title: `${error ? 'Error: ' : ''}Length advice for this course`,
      frameworkTitle: scheme.framework.title,
      schemeAdvice: { range: wordRange(g), note: g.note },
      values: values ?? { min: scheme.wordAdvice?.min ?? '', max: scheme.wordAdvice?.max ?? '', note: scheme.wordAdvice?.note ?? '' },
      done,
      error,
    }, '/cohort');
  };
  router.get('/', h(async (req, res) => page(res, 200, typeof req.query.done === 'string' ? req.query.done : '', null)));
  router.post(
    '/',
    h(async (req, res) => {
      const who = whoOf(res);
      const form = check(adviceForm, req.body);
      const values = { min: String(req.body?.min ?? ''), max: String(req.body?.max ?? ''), note: String(req.body?.note ?? '').slice(0, 200) };
      if (!form.ok) return page(res, 422, '', form.message, values);
      try {
        await setWordAdvice(who.courseId, form.data);
      } catch (err) {
        if (err instanceof AppError) return page(res, err.status, '', err.message, values);
        throw err;
      }
      res.redirect(303, urlOf(res, '/portfolio/length-advice?done=saved'));
    }),
  );
  return router;
}
