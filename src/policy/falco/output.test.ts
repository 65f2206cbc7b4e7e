import { describe, expect, it } from 'vitest';
import { shellEvent } from './__fixtures__/events.js';
import { compileOutput } from './output.js';

describe('policy/falco/output', () => {
  it.each([
    [
      'shell %proc.name by %user.name',
      'shell bash by root',
      { 'proc.name': 'bash', 'user.name': 'root' },
    ],
    [
      'parent %proc.aname[1] gp %proc.aname[2]',
      'parent sshd gp systemd',
      { 'proc.aname[1]': 'sshd', 'proc.aname[2]': 'systemd' },
    ],
    ['flags=%evt.arg.flags', 'flags=O_RDWR|O_CREAT', { 'evt.arg.flags': 'O_RDWR|O_CREAT' }],
    ['file %fd.name.', 'file /etc/shadow.', { 'fd.name': '/etc/shadow' }],
    ['cwd=%proc.cwd', 'cwd=<NA>', { 'proc.cwd': '<NA>' }],
    ['ancestors %proc.aname', 'ancestors sshd,systemd', { 'proc.aname': 'sshd,systemd' }],
    ['100% sure', '100% sure', {}],
    [
      'img=%container.image.repository:%container.image.tag',
      'img=docker.io/library/nginx:1.25',
      {
        'container.image.repository': 'docker.io/library/nginx',
        'container.image.tag': '1.25',
      },
    ],
  ])('renders %j', (template, text, fields) => {
    const output = compileOutput(template);

    const rendered = output.render(shellEvent());

    expect(rendered.text).toBe(text);
    expect(rendered.fields).toEqual(fields);
  });

  it('lists fields the registry does not know and prints them as <NA>', () => {
    const output = compileOutput('dns %fd.sip.name');

    const rendered = output.render(shellEvent());

    expect(output.unknownFields).toEqual(['fd.sip.name']);
    expect(rendered.text).toBe('dns <NA>');
  });
});
