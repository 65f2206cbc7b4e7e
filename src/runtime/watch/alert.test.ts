import { describe, expect, it } from 'vitest';

import { alertJson, alertText, isoNanos, type Alert } from './alert.js';

const ALERT: Alert = {
  time: 1_700_000_000_000_000_123n,
  rule: 'Shell',
  priority: 'NOTICE',
  output: 'shell bash',
  outputFields: { 'proc.name': 'bash' },
  tags: ['container'],
  hostname: 'node-1',
};

describe('runtime/watch/alert', () => {
  it.each([
    [1_700_000_000_123_456_789n, '2023-11-14T22:13:20.123456789Z'],
    [1_700_000_000_000_000_001n, '2023-11-14T22:13:20.000000001Z'],
  ])('formats %s with nanoseconds', (ns, text) => {
    expect(isoNanos(ns)).toBe(text);
  });

  it("writes Falco's JSON keys", () => {
    const parsed = JSON.parse(alertJson(ALERT)) as Record<string, unknown>;

    expect(Object.keys(parsed)).toEqual([
      'time',
      'rule',
      'priority',
      'output',
      'output_fields',
      'tags',
      'hostname',
      'source',
    ]);
    expect(parsed).toMatchObject({ priority: 'Notice', source: 'syscall', hostname: 'node-1' });
  });

  it('writes text lines as TIME PRIORITY RULE: output', () => {
    expect(alertText(ALERT)).toBe('2023-11-14T22:13:20.000000123Z Notice Shell: shell bash');
  });

  it('keeps a multi-line command line on one text line', () => {
    const text = alertText({ ...ALERT, output: 'python3 -c\nimport os' });

    expect(text).toBe('2023-11-14T22:13:20.000000123Z Notice Shell: python3 -c\\nimport os');
  });
});
