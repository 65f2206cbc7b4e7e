import type { Priority } from '../../policy/falco/definitions.js';
import type { RuleMatch } from '../../policy/falco/ruleset.js';

/** One rule match, in the shape of Falco's JSON output (`json_output: true`). */
export interface Alert {
  /** Event time, nanoseconds since the epoch. */
  time: bigint;
  rule: string;
  priority: Priority;
  output: string;
  outputFields: Record<string, string>;
  tags: readonly string[];
  hostname: string;
}

/** Falco prints priorities capitalised in JSON and text: `Warning`, `Notice`. */
function priorityName(priority: Priority): string {
  return priority.charAt(0) + priority.slice(1).toLowerCase();
}

/**
 * RFC 3339 time with nanoseconds, as Falco writes it: `2026-12-03T19:04:11.123456789Z`.
 *
 * @example
 * isoNanos(1_700_000_000_123_456_789n); // '2023-11-14T22:13:20.123456789Z'
 */
export function isoNanos(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${base}.${fraction}Z`;
}

/**
 * Builds an alert from a match.
 *
 * @example
 * toAlert(match, event.evt.time, 'node-1');
 */
export function toAlert(match: RuleMatch, time: bigint | number, hostname: string): Alert {
  return {
    time: BigInt(time),
    rule: match.rule,
    priority: match.priority,
    output: match.output,
    outputFields: match.outputFields,
    tags: match.tags,
    hostname,
  };
}

/**
 * One JSON line with Falco's keys; its `output` starts with time and priority as Falco's does.
 *
 * @example
 * alertJson(alert); // '{"time":"…","rule":"…","priority":"Warning",…,"source":"syscall"}'
 */
export function alertJson(alert: Alert): string {
  const time = isoNanos(alert.time);
  return JSON.stringify({
    time,
    rule: alert.rule,
    priority: priorityName(alert.priority),
    output: `${time}: ${priorityName(alert.priority)} ${alert.output}`,
    output_fields: alert.outputFields,
    tags: [...alert.tags],
    hostname: alert.hostname,
    source: 'syscall',
  });
}

/**
 * One text line: `TIME PRIORITY RULE: output`.
 *
 * @example
 * alertText(alert); // '2026-12-03T19:04:11.1Z Notice Bulkhead Shell in Container: Shell spawned …'
 */
export function alertText(alert: Alert): string {
  // A command line may hold newlines; escaping them keeps one alert per line.
  const output = alert.output.replace(/\r?\n/g, '\\n');
  return `${isoNanos(alert.time)} ${priorityName(alert.priority)} ${alert.rule}: ${output}`;
}
