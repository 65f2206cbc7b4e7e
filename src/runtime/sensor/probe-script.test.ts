import { describe, expect, it } from 'vitest';

import { ARGV_MAX, buildProbeScript, mainFields } from './probe-script.js';
import { KIND_TABLE } from './probe-table.js';
import { EVENT_KINDS } from './raw-event.js';

describe('runtime/sensor/probe-script', () => {
  it('has exactly one table entry per kind', () => {
    const kinds = KIND_TABLE.map((k) => k.kind);

    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
  });

  it('gives every probe one expression per field', () => {
    for (const spec of KIND_TABLE) {
      for (const probe of spec.probes) {
        expect(probe.args, `${spec.kind} ${probe.tracepoint}`).toHaveLength(spec.fields.length);
      }
    }
  });

  it('filters opens in the kernel on the watched prefixes', () => {
    const script = buildProbeScript({
      kinds: ['open'],
      watchedPaths: ['/etc/shadow', '/root/.ssh'],
    });

    expect(script).toContain(
      'strncmp($p, "/etc/shadow", 11) == 0 || strncmp($p, "/root/.ssh", 10) == 0',
    );
    expect(script).toContain('@bh_open[tid] = 1;');
    expect(script).toContain('clear(@bh_open)');
    expect(script).not.toContain('sys_enter_execve');
  });

  it('escapes quotes and backslashes in watched paths', () => {
    const script = buildProbeScript({ kinds: ['open'], watchedPaths: ['/tmp/a"b\\c'] });

    expect(script).toContain('"/tmp/a\\"b\\\\c", 10)');
  });

  it('prints argv on bounded arg lines spread over several blocks', () => {
    const script = buildProbeScript({ kinds: ['exec'] });

    expect(script.match(/BH1\\targ\\t/g)).toHaveLength(2 * ARGV_MAX);
    expect(script.match(/tracepoint:syscalls:sys_enter_execve \{/g)?.length).toBeGreaterThan(2);
    expect(script).toContain(`*($a + ${ARGV_MAX}) != 0`);
  });

  it('keeps only the first string on the main line and prints the others on x lines', () => {
    const rename = KIND_TABLE.find((k) => k.kind === 'rename');
    const script = buildProbeScript({ kinds: ['rename'] });

    expect(mainFields(rename?.fields ?? []).map((f) => f.name)).toEqual(['oldPath']);
    expect(script).toContain('BH1\\tx\\t%d\\tnewPath\\t%r\\n');
  });

  it('leaves out tracepoints the kernel does not have', () => {
    const script = buildProbeScript({
      kinds: ['module', 'bpf'],
      hasTracepoint: (tp) => !tp.includes('module'),
    });

    expect(script).not.toContain('init_module');
    expect(script).toContain('sys_enter_bpf');
  });

  it('reads the address family from the sockaddr for connect', () => {
    const script = buildProbeScript({ kinds: ['connect'] });

    expect(script).toContain('(struct sockaddr_in6 *)args->uservaddr');
    expect(script).toContain('ntop($sa->sin_addr.s_addr)');
  });
});
