import { describe, expect, it } from 'vitest';
import { shellEvent } from './__fixtures__/events.js';
import { FIELD_TABLE } from './field-table.js';
import { listFieldNames, resolveField } from './fields.js';

describe('policy/falco/fields', () => {
  it('has no duplicate field names', () => {
    const names = FIELD_TABLE.map((f) => f.name);

    expect(new Set(names).size).toBe(names.length);
    expect(listFieldNames()).toHaveLength(names.length);
  });

  it.each([
    ['proc.name', undefined, 'bash'],
    ['proc.aname', '1', 'sshd'],
    ['proc.aname', undefined, ['sshd', 'systemd']],
    ['evt.arg.flags', undefined, 'O_RDWR|O_CREAT'],
    ['evt.arg', 'flags', 'O_RDWR|O_CREAT'],
    ['container.id', undefined, 'c1'],
    ['fd.net', undefined, ['10.1.2.3', '192.168.0.9']],
    ['k8s.pod.name', undefined, 'web-0'],
  ])('reads %s[%s] from an event', (name, arg, expected) => {
    const field = resolveField(name, arg);

    expect(field.ok && field.def.get(shellEvent(), field.arg)).toEqual(expected);
  });

  it('reads container.id as host outside a container', () => {
    const field = resolveField('container.id', undefined);

    expect(field.ok && field.def.get(shellEvent({ container: undefined }), undefined)).toBe('host');
  });
});
