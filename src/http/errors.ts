/** Expected failures: each has an HTTP status, a stable id and a human message shown on the page. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, 'bad_request', message, details);
export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new AppError(422, 'validation_failed', message, details);
export const unauthorised = (message = 'Please open CMALT Portfolio from your course in the VLE.') =>
  new AppError(401, 'unauthorised', message);
export const forbidden = (message = 'You do not have access to this page.') => new AppError(403, 'forbidden', message);
export const notFound = (message = 'We could not find that page.') => new AppError(404, 'not_found', message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError(409, 'conflict', message, details);
export const tooLarge = (message: string) => new AppError(413, 'too_large', message);
