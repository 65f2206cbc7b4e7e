import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { loadFalcoRules } from '../../policy/falco/engine.js';
import type { RuntimeEvent } from '../../policy/falco/event.js';
import { defaultRulesPath } from '../watch/rules-files.js';

const file = defaultRulesPath();
const result = loadFalcoRules([{ file, text: readFileSync(file, 'utf8') }]);

const CONTAINER = {
  id: 'abcdef012345',
  name: 'web',
  imageRepository: 'nginx',
  imageTag: '1',
};

function exec(name: string, args = '', container = true, exepath = `/usr/bin/${name}`) {
  return event('execve', {
    proc: { name, exepath, exe: exepath, args, cmdline: `${name} ${args}`.trim() },
    container: container ? CONTAINER : undefined,
  });
}

function open(path: string, flags = 'O_RDONLY', container = true): RuntimeEvent {
  return event('openat', {
    evt: { type: 'openat', time: 1, dir: '<', args: { name: path, flags } },
    fd: { num: 0, name: path, typechar: 'f' },
    container: container ? CONTAINER : undefined,
  });
}

function event(type: string, parts: Partial<RuntimeEvent>): RuntimeEvent {
  return {
    evt: { type, time: 1, dir: '<', args: {} },
    proc: { name: 'x' },
    user: { uid: 0, name: 'root' },
    ...parts,
  } as RuntimeEvent;
}

function rulesFor(e: RuntimeEvent): string[] {
  return result.ruleset.evaluate(e).map((m) => m.rule);
}

describe('runtime/rules/bulkhead_rules.yaml', () => {
  it('loads every rule as evaluable, without errors or warnings', () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.statuses.map((s) => s.state)).toEqual(result.statuses.map(() => 'loaded'));
  });

  it.each([
    ['bash in a container', exec('bash', '-c true'), 'Bulkhead Shell in Container'],
    [
      'apt-get in a container',
      exec('apt-get', 'install curl'),
      'Bulkhead Package Manager in Container',
    ],
    [
      'npm install in a container',
      exec('npm', 'install left-pad'),
      'Bulkhead Package Manager in Container',
    ],
    ['/etc/shadow read', open('/etc/shadow'), 'Bulkhead Sensitive File Read in Container'],
    [
      'an SSH key read',
      open('/home/alice/.ssh/id_ed25519'),
      'Bulkhead Sensitive File Read in Container',
    ],
    [
      'AWS credentials read',
      open('/root/.aws/credentials'),
      'Bulkhead Sensitive File Read in Container',
    ],
    [
      'the Docker socket',
      open('/var/run/docker.sock', 'O_RDWR'),
      'Bulkhead Docker Socket Opened in Container',
    ],
    [
      'a release_agent write',
      open('/tmp/cgrp/release_agent', 'O_WRONLY|O_TRUNC'),
      'Bulkhead Release Agent or Core Pattern Write',
    ],
    [
      'a core_pattern write on the host',
      open('/proc/sys/kernel/core_pattern', 'O_WRONLY', false),
      'Bulkhead Release Agent or Core Pattern Write',
    ],
    [
      'ptrace attach',
      event('ptrace', {
        evt: { type: 'ptrace', time: 1, dir: '<', args: { request: 'PTRACE_ATTACH' } },
      }),
      'Bulkhead Ptrace Attach',
    ],
    [
      'memfd_create in a container',
      event('memfd_create', { container: CONTAINER }),
      'Bulkhead Memfd Create in Container',
    ],
    ['a binary in /dev/shm', exec('x', '', false, '/dev/shm/x'), 'Bulkhead Execution from Dev Shm'],
  ])('alerts on %s', (_name, e, rule) => {
    expect(rulesFor(e)).toContain(rule);
  });

  it.each([
    ['bash on the host', exec('bash', '', false)],
    ['pip list in a container', exec('pip', 'list')],
    ['/etc/shadow read on the host', open('/etc/shadow', 'O_RDONLY', false)],
    ['/etc/passwd read in a container', open('/etc/passwd')],
    ['core_pattern read', open('/proc/sys/kernel/core_pattern')],
    [
      'ptrace peek',
      event('ptrace', {
        evt: { type: 'ptrace', time: 1, dir: '<', args: { request: 'PTRACE_PEEKDATA' } },
      }),
    ],
  ])('stays quiet on %s', (_name, e) => {
    expect(rulesFor(e)).toEqual([]);
  });

  it('renders the fields the alerts promise', () => {
    const [match] = result.ruleset.evaluate(open('/etc/shadow'));

    expect(match?.outputFields).toMatchObject({
      'fd.name': '/etc/shadow',
      'container.name': 'web',
      'container.image.repository': 'nginx',
      'user.name': 'root',
    });
  });
});
