/**
 * Opens a zip for yauzl through a reader that reads the file in 1 MiB windows.
 *
 * yauzl's own file reader issues two asynchronous reads per entry (local header, then data).
 * An OSV export holds thousands of records of about 1 KiB each, read in file order, so those
 * thread-pool round trips dominated the import (measured: 4.7 s idle of 8.2 s for Debian's
 * 15 342 records). Entries are read in order, so one window serves hundreds of them; memory
 * stays bounded by two windows (and, for an entry larger than one, that one entry).
 */
import { closeSync, fstatSync, openSync, readSync, close } from 'node:fs';
import { Readable } from 'node:stream';

import yauzl from 'yauzl';

const WINDOW_BYTES = 1024 * 1024;

interface Window {
  buffer: Buffer;
  start: number;
  end: number;
  used: number;
}

/** Entries are read in file order while yauzl walks the central directory at the end: two regions. */
const WINDOW_COUNT = 2;

class WindowedFileReader extends yauzl.RandomAccessReader {
  private readonly windows: Window[] = [];
  private clock = 0;

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    try {
      return Readable.from([this.bytes(start, end)], { objectMode: false });
    } catch (err) {
      return new Readable({
        read() {
          this.destroy(err as Error);
        },
      });
    }
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    try {
      this.bytes(position, position + length).copy(buffer, offset);
    } catch (err) {
      process.nextTick(callback, err as Error);
      return;
    }
    process.nextTick(callback, null);
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, callback);
  }

  /** A copy of the bytes [start, end). */
  private bytes(start: number, end: number): Buffer {
    if (end > this.size || start > end) {
      throw new Error(`read past the end of the file (${start}-${end} of ${this.size})`);
    }
    if (end - start > WINDOW_BYTES) {
      const big = Buffer.allocUnsafe(end - start);
      readFully(this.fd, big, start);
      return big;
    }
    const window = this.windowFor(start, end);
    return Buffer.from(window.buffer.subarray(start - window.start, end - window.start));
  }

  private windowFor(start: number, end: number): Window {
    this.clock += 1;
    const hit = this.windows.find((w) => start >= w.start && end <= w.end);
    if (hit) {
      hit.used = this.clock;
      return hit;
    }

    let window: Window;
    if (this.windows.length < WINDOW_COUNT) {
      window = { buffer: Buffer.allocUnsafe(WINDOW_BYTES), start: 0, end: 0, used: 0 };
      this.windows.push(window);
    } else {
      window = this.windows.reduce((a, b) => (a.used <= b.used ? a : b));
    }
    const length = Math.min(WINDOW_BYTES, this.size - start);
    readFully(this.fd, window.buffer.subarray(0, length), start);
    window.start = start;
    window.end = start + length;
    window.used = this.clock;
    return window;
  }
}

function readFully(fd: number, target: Buffer, position: number): void {
  let done = 0;
  while (done < target.length) {
    const read = readSync(fd, target, done, target.length - done, position + done);
    if (read === 0) {
      throw new Error(`unexpected end of file at ${position + done}`);
    }
    done += read;
  }
}

/**
 * Opens `path` as a zip with lazy entries; the caller closes it with `zip.close()`.
 *
 * @example
 * const zip = await openZipFile('/mirror/npm/all.zip');
 * for await (const entry of zip.eachEntry()) console.log(entry.fileName);
 * zip.close();
 */
export async function openZipFile(path: string): Promise<yauzl.ZipFile> {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const reader = new WindowedFileReader(fd, size);
    return await yauzl.fromRandomAccessReaderPromise(reader, size, { autoClose: false });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
