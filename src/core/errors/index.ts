export { AppError, withContext, isAppError } from './app-error.js';
export type { ErrorKind, AppErrorOptions } from './app-error.js';
export { ERROR_CODES } from './codes.js';
export type { ErrorCode } from './codes.js';
