import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { noProgress } from '../../core/progress.js';
import { openImage } from '../open.js';
import { engineEndpoint, redactAddress } from './engine.js';

describe('image/sources/engine', () => {
  it.each([
    ['tcp://admin:hunter2@127.0.0.1:1', 'tcp://admin:***@127.0.0.1:1'],
    ['tcp://admin:p@ss@127.0.0.1:1/', 'tcp://admin:***@127.0.0.1:1/'],
    ['ssh://token@host', 'ssh://***@host'],
    ['tcp://127.0.0.1:2375', 'tcp://127.0.0.1:2375'],
    ['unix:///run/user/1000/docker.sock', 'unix:///run/user/1000/docker.sock'],
    ['unix:///tmp/a@b.sock', 'unix:///tmp/a@b.sock'],
  ])('redacts %s as %s', (address, shown) => {
    expect(redactAddress(address)).toBe(shown);
  });

  it('never prints DOCKER_HOST credentials', async () => {
    const env = { DOCKER_HOST: 'tcp://admin:hunter2@127.0.0.1:1' };

    const direct = (() => {
      try {
        return engineEndpoint(env);
      } catch (err) {
        return err;
      }
    })();
    const opening = openImage('foo', { log: silentLogger, progress: noProgress, env });

    expect(direct).toMatchObject({
      code: 'engine-unreachable',
      message: expect.stringContaining('DOCKER_HOST=tcp://admin:***@127.0.0.1:1 '),
    });
    await expect(opening).rejects.toMatchObject({
      message: expect.not.stringContaining('hunter2'),
      hint: expect.not.stringContaining('hunter2'),
    });
  });

  it('shows a tcp endpoint as given when it holds no credentials', async () => {
    const env = { DOCKER_HOST: 'tcp://127.0.0.1:1' };

    await expect(
      openImage('foo', { log: silentLogger, progress: noProgress, env }),
    ).rejects.toMatchObject({
      code: 'engine-unreachable',
      message: expect.stringContaining('at tcp://127.0.0.1:1:'),
    });
  });
});
