/**
 * The fix state of one matched record for one installed package.
 *
 * `will-not-fix` rule, from how OSV.dev's own records express it:
 * - Debian: OSV.dev's converter (google/osv.dev `vulnfeeds/cmd/converters/debian/main.go`)
 *   writes the security tracker's urgency into `affected[].ecosystem_specific.urgency` and, for a
 *   release without a fix, only an `introduced: "0"` event. The tracker's `<no-dsa>`/`<ignored>`
 *   states are not carried over. Of the urgencies, `end-of-life` means the package no longer gets
 *   security support in that release, and `unimportant` means the security team does not plan a
 *   fix (OSV-Scanner hides these by default: google/osv-scanner#968, and the OSV.dev post
 *   "Supporting Debian Security Tracker data", 2024-06-18). Either, with no `fixed` event in the
 *   matching interval, is `will-not-fix`. `database_specific.urgency` is read the same way for
 *   converted feeds.
 * - Alpine: records come from secdb `secfixes`, which only list fixed versions; there is no
 *   "won't fix" state, so Alpine findings are `fixed` or `affected`.
 * - Language ecosystems (GHSA, NSWG, RetireJS) have no such state either.
 */
import type { OsvAffected } from '../vulndb/osv-schema.js';
import { stringField } from './severity.js';
import type { FixStatus } from './types.js';

const WILL_NOT_FIX_URGENCY = new Set(['unimportant', 'end-of-life']);

/**
 * @example
 * fixStatus({ ecosystem_specific: { urgency: 'end-of-life' } }, undefined); // 'will-not-fix'
 * fixStatus({}, '5.36.0-7+deb12u3'); // 'fixed'
 */
export function fixStatus(affected: OsvAffected, fixedVersion: string | undefined): FixStatus {
  if (fixedVersion !== undefined) {
    return 'fixed';
  }
  const urgency =
    stringField(affected.ecosystem_specific, 'urgency') ??
    stringField(affected.database_specific, 'urgency');
  if (urgency !== undefined && WILL_NOT_FIX_URGENCY.has(urgency.toLowerCase())) {
    return 'will-not-fix';
  }
  return 'affected';
}
