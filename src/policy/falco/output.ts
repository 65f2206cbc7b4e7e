/**
 * Rule `output:` templates: `%proc.name`, `%proc.aname[2]`, `%evt.arg.flags` are replaced with
 * the event's values (https://falco.org/docs/concepts/outputs/formatting/). A missing value
 * prints as `<NA>`, as Falco does.
 */
import type { RuntimeEvent } from './event.js';
import { resolveField, type FieldDef, type FieldValue } from './fields.js';

const FIELD_REF = /%([A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_])(\[[^\]]*\])?/g;

type Segment =
  { text: string } | { key: string; def: FieldDef | undefined; arg: string | undefined };

export interface CompiledOutput {
  /** Output fields the registry does not know; they always print `<NA>`. */
  unknownFields: string[];
  render(event: RuntimeEvent): { text: string; fields: Record<string, string> };
}

/**
 * Compile an output template once; render it per event.
 *
 * @example
 * const out = compileOutput('shell %proc.name (parent %proc.aname[1])');
 * out.render(event).text; // 'shell bash (parent sshd)'
 */
export function compileOutput(template: string): CompiledOutput {
  const segments: Segment[] = [];
  const unknownFields: string[] = [];
  let last = 0;
  for (const m of template.matchAll(FIELD_REF)) {
    segments.push({ text: template.slice(last, m.index) });
    const name = m[1] ?? '';
    const arg = m[2]?.slice(1, -1);
    const key = m[2] === undefined ? name : `${name}[${arg}]`;
    const field = resolveField(name, arg);
    if (!field.ok) {
      unknownFields.push(key);
    }
    segments.push({ key, def: field.ok ? field.def : undefined, arg: field.ok ? field.arg : arg });
    last = (m.index ?? 0) + m[0].length;
  }
  segments.push({ text: template.slice(last) });

  return {
    unknownFields,
    render(event) {
      let text = '';
      const fields: Record<string, string> = {};
      for (const seg of segments) {
        if ('text' in seg) {
          text += seg.text;
          continue;
        }
        const value = show(seg.def?.get(event, seg.arg));
        fields[seg.key] = value;
        text += value;
      }
      return { text: text.trim(), fields };
    },
  };
}

function show(value: FieldValue): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    return '<NA>';
  }
  return Array.isArray(value) ? value.join(',') : String(value);
}
