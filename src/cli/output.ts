import { writeFile } from 'node:fs/promises';
import { AppError } from '../core/errors/index.js';

/**
 * Writes a rendered report to `--output FILE`, or to stdout when no file is given.
 *
 * @example
 * await writeOutput(text, undefined); // stdout
 */
export async function writeOutput(text: string, file: string | undefined): Promise<void> {
  if (file === undefined || file === '-') {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(text, (err) => (err ? reject(err) : resolve())),
    );
    return;
  }
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new AppError(
      'output-failed',
      `cannot write report to ${file}: ${(err as Error).message}`,
      {
        hint: 'check that the directory exists and is writable',
        cause: err,
      },
    );
  }
}
