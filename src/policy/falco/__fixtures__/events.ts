/**
 * Hand-made events for evaluator tests: a shell started by sshd inside a container.
 */
import type { RuntimeEvent } from '../event.js';

/**
 * An `execve` exit of `bash -i` in container `c1`, with overrides merged on top.
 *
 * @example
 * shellEvent({ evt: { type: 'openat', time: 0, dir: '<', args: {} } });
 */
export function shellEvent(overrides: Partial<RuntimeEvent> = {}): RuntimeEvent {
  return {
    evt: {
      type: 'execve',
      num: 7,
      time: 1_700_000_000_000_000_000n,
      dir: '<',
      args: { flags: 'O_RDWR|O_CREAT', res: 0 },
      res: 0,
    },
    proc: {
      name: 'bash',
      exe: '/bin/bash',
      exepath: '/usr/bin/bash',
      cmdline: 'bash -i',
      args: '-i',
      pid: 42,
      ppid: 41,
      vpid: 1,
      tty: 34816,
      ancestors: [
        { name: 'sshd', cmdline: 'sshd -D', exepath: '/usr/sbin/sshd' },
        { name: 'systemd', cmdline: '/sbin/init' },
      ],
      isExeUpperLayer: true,
    },
    user: { uid: 0, name: 'root' },
    group: { gid: 0, name: 'root' },
    fd: {
      name: '/etc/shadow',
      directory: '/etc',
      filename: 'shadow',
      type: 'file',
      typechar: 'f',
      sip: '10.1.2.3',
      sport: 443,
      dip: '192.168.0.9',
      dport: 51000,
    },
    container: {
      id: 'c1',
      name: 'web',
      image: 'docker.io/library/nginx:1.25',
      imageRepository: 'docker.io/library/nginx',
      imageTag: '1.25',
      privileged: false,
      labels: { 'io.kubernetes.pod.namespace': 'prod', 'io.kubernetes.pod.name': 'web-0' },
    },
    ...overrides,
  };
}
