/**
 * Whether a version falls in an OSV `affected` entry, following the evaluation algorithm of the
 * OSV schema (https://ossf.github.io/osv-schema/#evaluation):
 *
 * - a version listed verbatim in `versions` is affected;
 * - each `ECOSYSTEM` or `SEMVER` range is walked in version order (the spec requires sorting
 *   the events before evaluating, whatever order the record lists them in): `introduced`
 *   switches "vulnerable" on when v >= it, `fixed` switches it off when v >= it,
 *   `last_affected` switches it off when v > it;
 * - a range with `limit` events only applies to versions below at least one of them (`*` means
 *   infinity); with none the implicit limit is `*`;
 * - `GIT` ranges need a commit graph and are ignored.
 *
 * Soft failures never throw: an event whose version the scheme cannot parse is skipped, and an
 * installed version it cannot parse matches no range; both are logged at debug.
 */
import type { Logger } from '../core/logger.js';
import { getScheme } from '../versioning/registry.js';
import type { ParsingVersionScheme } from '../versioning/types.js';
import type { OsvAffected, OsvEvent, OsvRange } from '../vulndb/osv-schema.js';

type Scheme = ParsingVersionScheme<unknown>;

/** The schemes a record's ranges are read with: `ECOSYSTEM` ranges need the ecosystem's own. */
export interface RangeSchemes {
  /** Undefined for an ecosystem bulkhead has no scheme for; its ECOSYSTEM ranges are skipped. */
  ecosystem: Scheme | undefined;
  semver: Scheme;
}

export interface AffectedMatch {
  affected: boolean;
  /** The `fixed` event closing the interval the version fell in, when there is one. */
  fixedVersion?: string;
}

type EventKind = 'introduced' | 'fixed' | 'last_affected';

interface SortedEvent {
  kind: EventKind;
  raw: string;
  /** Undefined for `introduced: "0"`, which sorts before every version. */
  parsed: unknown;
}

/** Ties sort `introduced` first, so `introduced: X, fixed: X` is an empty interval. */
const KIND_ORDER: Record<EventKind, number> = { introduced: 0, last_affected: 1, fixed: 2 };

/**
 * The version scheme of an OSV ecosystem string (`Debian:12` → dpkg, `Alpine:v3.20` → apk,
 * `npm` → semver); undefined for ecosystems bulkhead does not compare.
 *
 * @example
 * schemeIdFor('Debian:12'); // 'dpkg'
 */
export function schemeIdFor(ecosystem: string): 'dpkg' | 'apk' | 'semver' | undefined {
  const base = ecosystem.split(':')[0];
  switch (base) {
    case 'Debian':
      return 'dpkg';
    case 'Alpine':
      return 'apk';
    case 'npm':
      return 'semver';
    default:
      return undefined;
  }
}

/**
 * @example
 * const schemes = schemesFor('Alpine:v3.17'); // { ecosystem: apk, semver }
 */
export function schemesFor(ecosystem: string): RangeSchemes {
  const id = schemeIdFor(ecosystem);
  return { ecosystem: id === undefined ? undefined : getScheme(id), semver: getScheme('semver') };
}

/**
 * Evaluates one `affected` entry for `version` (the caller has checked the package name).
 *
 * @example
 * evaluateAffected('4.17.15', { ranges: [{ type: 'ECOSYSTEM',
 *   events: [{ introduced: '0' }, { fixed: '4.17.20' }] }] }, schemesFor('npm'), log);
 * // { affected: true, fixedVersion: '4.17.20' }
 */
export function evaluateAffected(
  version: string,
  affected: OsvAffected,
  schemes: RangeSchemes,
  log: Logger,
): AffectedMatch {
  let match: AffectedMatch = { affected: false };
  for (const range of affected.ranges ?? []) {
    const scheme = schemeForRange(range, schemes);
    if (!scheme) {
      continue;
    }
    const result = evaluateRange(version, range, scheme, log);
    if (!result.affected) {
      continue;
    }
    // The first matching range that names a fix gives it; other matching ranges only confirm.
    if (!match.affected || (match.fixedVersion === undefined && result.fixedVersion)) {
      match = result;
    }
  }
  if (match.affected) {
    return match;
  }

  if (inVersions(version, affected.versions ?? [], schemes.ecosystem)) {
    return { affected: true };
  }
  return { affected: false };
}

/**
 * Evaluates one range with one scheme.
 *
 * @example
 * evaluateRange('1.0.1', { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.0.2' }] },
 *   getScheme('semver'), log); // { affected: true, fixedVersion: '1.0.2' }
 */
export function evaluateRange(
  version: string,
  range: OsvRange,
  scheme: Scheme,
  log: Logger,
): AffectedMatch {
  const v = tryParse(scheme, version);
  if (v === undefined) {
    log.debug(`${scheme.id}: cannot parse installed version "${version}"; range skipped`);
    return { affected: false };
  }
  if (!beforeLimits(v, range.events, scheme, log)) {
    return { affected: false };
  }

  const events = sortEvents(range.events, scheme, log);
  let vulnerable = false;
  for (const event of events) {
    const cmp = event.parsed === undefined ? 1 : scheme.compareParsed(v, event.parsed);
    if (event.kind === 'introduced' && cmp >= 0) {
      vulnerable = true;
    } else if (event.kind === 'fixed' && cmp >= 0) {
      vulnerable = false;
    } else if (event.kind === 'last_affected' && cmp > 0) {
      vulnerable = false;
    }
  }
  if (!vulnerable) {
    return { affected: false };
  }

  // The interval holding v ends at the first closing event at or above v.
  const closing = events.find(
    (event) => event.kind !== 'introduced' && scheme.compareParsed(v, event.parsed) <= 0,
  );
  return closing?.kind === 'fixed'
    ? { affected: true, fixedVersion: closing.raw }
    : { affected: true };
}

function schemeForRange(range: OsvRange, schemes: RangeSchemes): Scheme | undefined {
  if (range.type === 'SEMVER') {
    return schemes.semver;
  }
  if (range.type === 'ECOSYSTEM') {
    return schemes.ecosystem;
  }
  return undefined;
}

function beforeLimits(v: unknown, events: OsvEvent[], scheme: Scheme, log: Logger): boolean {
  let sawLimit = false;
  for (const event of events) {
    if (event.limit === undefined) {
      continue;
    }
    if (event.limit.includes('*')) {
      return true;
    }
    const limit = tryParse(scheme, event.limit);
    if (limit === undefined) {
      log.debug(`${scheme.id}: cannot parse limit "${event.limit}"; event skipped`);
      continue;
    }
    sawLimit = true;
    if (scheme.compareParsed(v, limit) < 0) {
      return true;
    }
  }
  return !sawLimit;
}

function sortEvents(events: OsvEvent[], scheme: Scheme, log: Logger): SortedEvent[] {
  const sorted: SortedEvent[] = [];
  for (const event of events) {
    const entry = toSortedEvent(event);
    if (!entry) {
      continue;
    }
    if (entry.kind === 'introduced' && entry.raw === '0') {
      sorted.push({ ...entry, parsed: undefined });
      continue;
    }
    const parsed = tryParse(scheme, entry.raw);
    if (parsed === undefined) {
      log.debug(`${scheme.id}: cannot parse ${entry.kind} "${entry.raw}"; event skipped`);
      continue;
    }
    sorted.push({ ...entry, parsed });
  }

  return sorted.sort((a, b) => {
    if (a.parsed === undefined || b.parsed === undefined) {
      return (a.parsed === undefined ? 0 : 1) - (b.parsed === undefined ? 0 : 1);
    }
    return scheme.compareParsed(a.parsed, b.parsed) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
}

function toSortedEvent(event: OsvEvent): { kind: EventKind; raw: string } | undefined {
  if (event.introduced !== undefined) {
    return { kind: 'introduced', raw: event.introduced };
  }
  if (event.fixed !== undefined) {
    return { kind: 'fixed', raw: event.fixed };
  }
  if (event.last_affected !== undefined) {
    return { kind: 'last_affected', raw: event.last_affected };
  }
  return undefined;
}

function inVersions(version: string, versions: string[], scheme: Scheme | undefined): boolean {
  if (versions.includes(version)) {
    return true;
  }
  if (!scheme) {
    return false;
  }
  const v = tryParse(scheme, version);
  if (v === undefined) {
    return false;
  }
  return versions.some((listed) => {
    const parsed = tryParse(scheme, listed);
    return parsed !== undefined && scheme.compareParsed(v, parsed) === 0;
  });
}

function tryParse(scheme: Scheme, version: string): unknown {
  try {
    return scheme.parse(version);
  } catch {
    return undefined;
  }
}
