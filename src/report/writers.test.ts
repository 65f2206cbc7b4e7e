import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { getWriter, WRITERS } from './registry.js';
import { sampleReport } from './__fixtures__/sample-report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const UPDATE = process.env.BULKHEAD_UPDATE_GOLDENS === '1';

function golden(name: string, actual: string): void {
  const file = path.join(here, '__fixtures__', name);
  if (UPDATE) {
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('report/writers', () => {
  it('lists each writer once', () => {
    const ids = WRITERS.map((w) => w.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(['table', 'json'])(
    '%s matches its golden (BULKHEAD_UPDATE_GOLDENS=1 regenerates)',
    (id) => {
      const text = getWriter(id).render(sampleReport(), { color: false });

      golden(`sample.${id === 'table' ? 'txt' : 'json'}`, text);
    },
  );

  it('colours severities only when asked', () => {
    const plain = getWriter('table').render(sampleReport(), { color: false });
    const coloured = getWriter('table').render(sampleReport(), { color: true });

    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[31mHIGH');
  });

  it('writes JSON that validates against the published schema', () => {
    const schema = JSON.parse(
      readFileSync(path.join(here, '../../schema/report-v1.schema.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);

    const valid = validate(JSON.parse(getWriter('json').render(sampleReport(), { color: false })));

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects an unknown format with a usage error', () => {
    expect(() => getWriter('xml')).toThrow(/unknown format "xml"/);
  });
});
