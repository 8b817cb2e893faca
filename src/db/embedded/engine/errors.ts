import type { Document } from '../types';

/** MongoDB's numeric error codes for the names we raise (src/mongo/base/error_codes.yml). */
export const ErrorCodes = {
  InternalError: 1,
  Unauthorized: 13,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  CommandNotSupportedOnView: 166,
  InvalidIndexSpecificationOption: 197,
  ViewDepthLimitExceeded: 15,
  Location40415: 40415,
  OperationNotSupportedInTransaction: 263,
  InvalidNamespace: 73,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  Location40324: 40324,
  Location17276: 17276,
  MergeStageNoMatchingDocument: 13113,
  DuplicateKey: 11000,
  DocumentValidationFailure: 121,
  FileStreamFailed: 39,
  OutOfDiskSpace: 14031,
} as const;

export type CodeName = keyof typeof ErrorCodes;

/** An error that becomes `{ok: 0, errmsg, code, codeName}` (plus any extra fields, e.g. keyValue). */
export class CommandError extends Error {
  readonly code: number;
  constructor(
    readonly codeName: CodeName,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
    this.code = ErrorCodes[codeName];
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The shape of one entry in a write command's `writeErrors`. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

/**
 * mingo throws plain errors with its own wording; MongoDB clients look at codes, so the few
 * messages that users can trigger with a bad filter or update are mapped to MongoDB's codes.
 */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  let m = /unknown top level operator:? \$?(\S+)/i.exec(message);
  if (m) return new CommandError('BadValue', `unknown top level operator: $${m[1].replace(/^\$/, '')}`);
  m = /unknown query operator:? (\S+)/i.exec(message);
  if (m) return new CommandError('BadValue', `unknown operator: ${m[1]}`);
  m = /Unknown update operator: '?(\$?[^'.\s]+)'?/i.exec(message);
  if (m) {
    return new CommandError(
      'FailedToParse',
      `Unknown modifier: ${m[1]}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  m = /updating the path '([^']+)' would create a conflict at '([^']+)'/i.exec(message);
  if (m) return new CommandError('ConflictingUpdateOperators', `Updating the path '${m[1]}' would create a conflict at '${m[2]}'`);
  if (/immutable field '_id'/i.test(message)) {
    return new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  m = /Use of undefined variable:? (\S+)/i.exec(message);
  if (m) return new CommandError('Location17276', `Use of undefined variable: ${m[1]}`);
  if (/scriptEnabled/.test(message)) return new CommandError('BadValue', 'JavaScript ($where, $function, $accumulator) is disabled in the embedded database');
  m = /unregistered pipeline operator (\S+?)\.?$/i.exec(message);
  if (m) return new CommandError('Location40324', `Unrecognized pipeline stage name: '${m[1]}'`);
  if (/is not registered|Cannot do (exclusion|inclusion)/i.test(message)) return new CommandError('BadValue', message);
  if (/must include the array field for '\.\$'/i.test(message)) {
    return new CommandError('BadValue', 'The positional operator did not find the match needed from the query.');
  }
  return new CommandError('InternalError', message);
}
