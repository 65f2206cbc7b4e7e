import {
  copyFileSync,
  readdirSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ScanReport } from '../src/report/model.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { makeDockerArchive } from './helpers/hostile.js';
import { CLI } from './helpers/paths.js';

const cacheDir = inject('cacheDir');
const app = inject('npmApp');
const work = mkdtempSync(path.join(tmpdir(), 'bulkhead-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, content: Buffer | string): string {
  const target = path.join(work, name);
  writeFileSync(target, content);
  return target;
}

/** A user's mistake gets one line naming the problem (and a hint), never a stack trace. */
function expectCleanError(result: CliResult, code: number, pattern: RegExp): void {
  const lines = result.stderr.trim().split('\n');
  expect(result.code).toBe(code);
  expect(lines[0]).toMatch(/^bulkhead: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
}

const scanArgs = (ref: string) => ['--cache-dir', cacheDir, 'image', ref, '--format', 'json'];

describe('bulkhead on bad input', () => {
  it('says a file of random bytes is no image', async () => {
    const junk = file('junk.bin', randomBytes(4096));

    expectCleanError(await runCli(scanArgs(junk)), 2, /junk\.bin/);
  });

  it('names a truncated docker archive', async () => {
    const truncated = path.join(work, 'truncated.tar');
    copyFileSync(app.dockerArchive, truncated);
    truncateSync(truncated, Math.floor(readFileSync(truncated).length / 2));

    expectCleanError(await runCli(scanArgs(truncated)), 2, /truncated\.tar/);
  });

  it('names a truncated gzip', async () => {
    const gz = gzipSync(readFileSync(app.dockerArchive).subarray(0, 8 * 1024 * 1024));
    const cut = file('cut.tar.gz', gz.subarray(0, gz.length - 1000));

    expectCleanError(await runCli(scanArgs(cut)), 2, /cut\.tar\.gz/);
  });

  it('names a layer whose digest does not match', async () => {
    const archive = path.join(work, 'tampered.tar');
    makeDockerArchive(archive, [[{ name: 'etc/hostname', content: 'a\n' }]]);
    const bytes = readFileSync(archive);
    const at = bytes.indexOf('a\n', 512);
    bytes[at] = 'b'.charCodeAt(0);
    writeFileSync(archive, bytes);

    expectCleanError(await runCli(scanArgs(archive)), 2, /digest|sha256/);
  });

  it('says when the manifest is missing', async () => {
    const noManifest = file('no-manifest.tar', Buffer.alloc(10240));

    expectCleanError(await runCli(scanArgs(noManifest)), 2, /no-manifest\.tar/);
  });

  it('says an image name the engine does not have is not found', async () => {
    expectCleanError(await runCli(scanArgs('bulkhead-test/no-such-image:9')), 2, /no-such-image/);
  });

  it('says how to get a DB when there is none', async () => {
    const empty = mkdtempSync(path.join(work, 'empty-cache-'));

    const result = await runCli(['--cache-dir', empty, 'image', app.dockerArchive]);

    expectCleanError(result, 2, /vulnerability database/);
    expect(result.stderr).toContain('bulkhead db update');
  });

  it.each([
    ['a directory that does not exist', '/nonexistent/rootfs', /does not exist/],
    ['a file', 'package.json', /is not a directory/],
  ])('says fs was given %s', async (_name, target, message) => {
    expectCleanError(await runCli(['--cache-dir', cacheDir, 'fs', target]), 2, message);
  });

  it('rejects an unknown severity as a usage error', async () => {
    const result = await runCli([...scanArgs(app.dockerArchive), '--severity', 'SEVERE']);

    expectCleanError(result, 2, /SEVERE/);
  });

  it('says a DB source that is not a zip is invalid', async () => {
    const source = path.join(work, 'bad-source');
    mkdirSync(path.join(source, 'npm'), { recursive: true });
    writeFileSync(path.join(source, 'npm', 'all.zip'), 'not a zip');

    const result = await runCli([
      '--cache-dir',
      mkdtempSync(path.join(work, 'c-')),
      'db',
      'update',
      '--source',
      source,
    ]);

    expectCleanError(result, 2, /all\.zip/);
  });

  it('confines entries and links that aim out of the root, and writes nothing outside', async () => {
    const sentinel = path.join(work, 'escaped');
    const archive = path.join(work, 'escape.tar');
    makeDockerArchive(archive, [
      [
        { name: 'etc/', type: 'dir' },
        { name: `../../../../../../..${sentinel}`, content: 'escaped' },
        { name: '/etc/absolute', content: 'absolute' },
        { name: 'etc/os-release', type: 'symlink', link: '../../../../../../etc/os-release' },
        { name: 'etc/shadow-link', type: 'hardlink', link: '../../../../etc/shadow' },
        { name: 'usr/lib/os-release', content: 'ID=confined\nVERSION_ID="1"\n' },
      ],
    ]);

    const result = await runCli(scanArgs(archive));
    const report = JSON.parse(result.stdout) as ScanReport;

    expect(result.code).toBe(0);
    expect(existsSync(sentinel)).toBe(false);
    expect(report.warnings.map((w) => w.code)).toContain('unsafe-path');
    // /etc/os-release -> ../../../../etc/os-release clamps to itself inside the root: a loop,
    // never the host's file. The OS comes from the image's own /usr/lib/os-release.
    expect(report.os?.family).toBe('confined');
    expect(report.warnings.map((w) => w.code)).toContain('symlink-loop');
  });

  it('removes its temp space when interrupted mid-scan', async () => {
    const tmp = mkdtempSync(path.join(work, 'tmpdir-'));
    const child = spawn(process.execPath, [CLI, '--cache-dir', cacheDir, 'image', app.name, '-q'], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Wait until the engine's image is being saved into the temp space, then interrupt.
    for (let i = 0; i < 100 && readdirSync(tmp).length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(readdirSync(tmp)).toHaveLength(1);

    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(code).toBe(130);
    expect(stderr).toContain('stopped by SIGINT');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('stops quietly when the reader of its output goes away', async () => {
    const child = spawn(process.execPath, [CLI, ...scanArgs(app.dockerArchive), '-q'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());

    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('reports a malformed dpkg database as a warning naming the file, and keeps scanning', async () => {
    const root = mkdtempSync(path.join(work, 'rootfs-'));
    mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    writeFileSync(path.join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    writeFileSync(path.join(root, 'etc/debian_version'), '12.8\n');
    writeFileSync(
      path.join(root, 'var/lib/dpkg/status'),
      'Package: good\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n' +
        'Package: broken\nStatus: install ok installed\nArchitecture: amd64\n\n' +
        'this line is no field\n',
    );

    const result = await runCli(['--cache-dir', cacheDir, 'fs', root, '--format', 'json']);
    const report = JSON.parse(result.stdout) as ScanReport;

    expect(result.code).toBe(0);
    expect(report.packages.map((p) => p.name)).toEqual(['good']);
    expect(report.warnings.some((w) => (w.location ?? '').startsWith('/var/lib/dpkg/status'))).toBe(
      true,
    );
  });
});
