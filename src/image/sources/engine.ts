import { createWriteStream } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../core/errors/index.js';
import type { Progress } from '../../core/progress.js';

/** Where the Docker Engine API listens: a unix socket, or plain TCP. */
export interface EngineEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  /** For messages: `unix:///var/run/docker.sock`. */
  display: string;
}

/** API version of Docker 20.10; every call used here exists since long before. */
const API = '/v1.41';

/**
 * The engine endpoint from `DOCKER_HOST` (`unix:///path`, `tcp://host:port`), by default the
 * socket `/var/run/docker.sock`.
 *
 * @example
 * engineEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).socketPath; // '/run/user/1000/docker.sock'
 */
export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const value = env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  const display = redactAddress(value);
  if (value.startsWith('unix://')) {
    return { socketPath: value.slice('unix://'.length), display };
  }
  const tcp = /^(?:tcp|http):\/\/([^:/]+)(?::(\d+))?\/?$/.exec(value);
  if (tcp?.[1] !== undefined && env.DOCKER_TLS_VERIFY === undefined) {
    return { host: tcp[1], port: Number(tcp[2] ?? 2375), display };
  }
  throw new AppError(
    'engine-unreachable',
    `DOCKER_HOST=${display} is not a unix socket or plain tcp address bulkhead can use`,
    {
      hint: 'set DOCKER_HOST=unix:///var/run/docker.sock (TLS endpoints are not supported yet)',
    },
  );
}

/**
 * An address fit for messages: the password of any userinfo (RFC 3986 section 3.2.1) is masked,
 * and a userinfo without a password is masked whole.
 *
 * @example
 * redactAddress('tcp://admin:hunter2@127.0.0.1:1'); // 'tcp://admin:***@127.0.0.1:1'
 */
export function redactAddress(value: string): string {
  // scheme://user:password@host... — the userinfo ends at the last `@` before the path.
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(value);
  if (match === null) {
    return value;
  }
  const userinfo = match[2] as string;
  const colon = userinfo.indexOf(':');
  // A lone user part may itself be a token: masked whole.
  const masked = colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`;
  return `${match[1] as string}${masked}@${value.slice(match[0].length)}`;
}

/** The subset of `GET /images/{name}/json` bulkhead reads. */
export interface EngineImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Os?: string;
  Architecture?: string;
  Variant?: string;
  Size?: number;
}

/**
 * Inspects an image in the engine; `image-not-found` when the engine does not have it.
 *
 * @example
 * const image = await inspectImage(engineEndpoint(), 'bulkhead-test/bookworm:minbase');
 */
export async function inspectImage(endpoint: EngineEndpoint, name: string): Promise<EngineImage> {
  const response = await call(endpoint, `/images/${encodeName(name)}/json`, name);
  const body = await readBody(response);
  return JSON.parse(body.toString('utf8')) as EngineImage;
}

/**
 * Streams `GET /images/{name}/get` (a `docker save` archive) into `target`, reporting bytes.
 *
 * @example
 * await saveImage(endpoint, 'debian:12', '/tmp/bulkhead-x/image.tar', progress, image.Size);
 */
export async function saveImage(
  endpoint: EngineEndpoint,
  name: string,
  target: string,
  progress: Progress,
  expectedSize?: number,
): Promise<void> {
  const response = await call(endpoint, `/images/${encodeName(name)}/get`, name);
  const task = progress.start(`saving ${name} from the engine`, expectedSize, 'bytes');
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      task.advance(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response, counter, createWriteStream(target));
  } catch (err) {
    throw new AppError('engine-error', `the engine stopped sending image ${name}`, { cause: err });
  } finally {
    task.done();
  }
}

/** Names go into the path as they are, except characters that would break it. */
function encodeName(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** GETs an API path; a 404 throws `image-not-found` naming `name`. Shared with runtime/enrich. */
export async function call(
  endpoint: EngineEndpoint,
  path: string,
  name: string,
): Promise<IncomingMessage> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({
      socketPath: endpoint.socketPath,
      host: endpoint.host,
      port: endpoint.port,
      path: `${API}${path}`,
      method: 'GET',
      headers: { host: 'docker' },
    });
    req.on('response', resolve);
    req.on('error', (err: NodeJS.ErrnoException) => reject(unreachable(endpoint, err)));
    req.end();
  });
  if (response.statusCode === 200) {
    return response;
  }
  const message = engineMessage(await readBody(response).catch(() => Buffer.alloc(0)));
  if (response.statusCode === 404) {
    throw new AppError('image-not-found', `the Docker engine has no image ${name}`, {
      hint: 'check the name with `docker images`, or pass a file or oci:/docker-archive: reference',
    });
  }
  throw new AppError(
    'engine-error',
    `the Docker engine answered ${response.statusCode} for image ${name}: ${message}`,
  );
}

function unreachable(endpoint: EngineEndpoint, err: NodeJS.ErrnoException): AppError {
  const denied = err.code === 'EACCES';
  return new AppError(
    'engine-unreachable',
    `cannot reach the Docker engine at ${endpoint.display}: ${err.code ?? err.message}`,
    {
      cause: err,
      hint: denied
        ? 'add your user to the docker group, or run with access to the socket'
        : 'start dockerd, or set DOCKER_HOST to the engine address',
    },
  );
}

function engineMessage(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { message?: string };
    return parsed.message ?? body.toString('utf8');
  } catch {
    return body.toString('utf8').slice(0, 200);
  }
}

/** Reads a whole response body. */
export async function readBody(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
