import type { ErrorCode } from './codes.js';

/** Whether the problem lies in what the user gave us (exit 2) or in the scan itself (exit 3). */
export type ErrorKind = 'input' | 'failure';

export interface AppErrorOptions {
  /** The next step for the user, printed after the message. */
  hint?: string;
  cause?: unknown;
  kind?: ErrorKind;
}

const INPUT_CODES: ReadonlySet<ErrorCode> = new Set([
  'usage',
  'input-not-found',
  'input-unrecognized',
  'image-ambiguous',
  'image-not-found',
  'image-corrupt',
  'image-too-large',
  'db-missing',
  'db-source-invalid',
]);

/**
 * The one error type bulkhead throws for problems a user can act on.
 *
 * @example
 * throw new AppError('image-corrupt', 'layer sha256:ab12 is not a tar archive', {
 *   hint: 'save the image again with `docker save`',
 * });
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly kind: ErrorKind;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.kind = options.kind ?? (INPUT_CODES.has(code) ? 'input' : 'failure');
  }
}

/** Wraps any thrown value with context, keeping an AppError's code and hint. */
export function withContext(err: unknown, context: string): AppError {
  if (err instanceof AppError) {
    const wrapped = new AppError(err.code, `${context}: ${err.message}`, {
      hint: err.hint,
      cause: err,
      kind: err.kind,
    });
    return wrapped;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('internal', `${context}: ${message}`, { cause: err });
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
