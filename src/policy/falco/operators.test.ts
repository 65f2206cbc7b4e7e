import { describe, expect, it } from 'vitest';
import { ipInCidr } from './ip.js';
import { buildMatcher, globToRegExp } from './operators.js';

describe('policy/falco/operators', () => {
  it.each([
    ['/etc/*', '/etc/passwd', true],
    ['/etc/*', '/etc/a/b', true],
    ['/etc/?', '/etc/ab', false],
    ['/tmp/[!a]*', '/tmp/bcd', true],
    ['/tmp/[!a]*', '/tmp/abc', false],
    ['a.b', 'axb', false],
    ['(x)', '(x)', true],
  ])('glob %s on %s -> %s', (glob, value, expected) => {
    const actual = globToRegExp(glob).test(value);

    expect(actual).toBe(expected);
  });

  it.each([
    ['pmatch', 'string', ['/usr'], '/usr/bin/ls', true],
    ['pmatch', 'string', ['/usr/'], '/usr', true],
    ['pmatch', 'string', ['/usr'], '/usrx', false],
    ['pmatch', 'string', ['/'], '/anything', true],
    ['intersects', 'strings', ['a', 'b'], ['c', 'b'], true],
    ['intersects', 'strings', ['a'], ['c'], false],
    ['in', 'strings', ['a'], ['c', 'a'], true],
    ['!=', 'strings', ['a'], ['c', 'a'], false],
    ['=', 'number', ['0x10'], 16, true],
    ['bcontains', 'string', ['2f62696e'], 'x/bin/sh', true],
    ['bstartswith', 'string', ['2f62'], '/bin', true],
    ['=', 'string', ['a'], undefined, false],
    ['!=', 'string', ['a'], undefined, false],
    ['=', 'ipnet', ['10.0.0.0/8'], ['192.168.1.1', '10.9.9.9'], true],
    ['!=', 'ipnet', ['127.0.0.0/8'], ['127.0.0.1'], false],
  ] as const)('%s %s %j on %j -> %s', (op, type, values, value, expected) => {
    const match = buildMatcher(op, type, values);

    const actual = match(value);

    expect(actual).toBe(expected);
  });

  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.168.1.7', '192.168.1.0/24', true],
    ['1.2.3.4', '1.2.3.4', true],
    ['::1', '::1/128', false],
  ])('%s in %s -> %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });

  it.each([
    ['=', 'number', ['x']],
    ['=', 'boolean', ['yes']],
    ['regex', 'string', ['(']],
    ['bcontains', 'string', ['zz']],
    ['contains', 'boolean', ['true']],
  ] as const)('rejects %s on %s with %j', (op, type, values) => {
    expect(() => buildMatcher(op, type, values)).toThrow();
  });
});
