/**
 * Zod schemas for the parts of an OSV record bulkhead reads.
 *
 * Spec: https://ossf.github.io/osv-schema/ (source: github.com/ossf/osv-schema `docs/schema.md`).
 * Every object is loose: fields bulkhead does not know (`credits`, `related`, future additions)
 * are kept as they are, so a record read back from the index is the record that was imported.
 * Only what the matcher cannot do without is required: `id` and `modified` (both required by
 * the spec). Everything else is optional and checked for type only.
 */
import { z } from 'zod';

/** Free-form objects the spec leaves to the database or ecosystem (`database_specific`...). */
export const OsvSpecific = z.record(z.string(), z.unknown());
export type OsvSpecific = z.infer<typeof OsvSpecific>;

/**
 * One event of a range. The spec allows exactly one key per event; an event with none of them
 * is accepted here and ignored by the evaluator, so one odd event does not discard a record.
 * `{ "introduced": "0" }`, `{ "fixed": "4.17.20" }`, `{ "last_affected": "2.1.214" }`,
 * `{ "limit": "*" }`.
 */
export const OsvEvent = z.looseObject({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});
export type OsvEvent = z.infer<typeof OsvEvent>;

/** `ECOSYSTEM`, `SEMVER` or `GIT`; other strings are kept and skipped by the evaluator. */
export const OsvRange = z.looseObject({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(OsvEvent),
  database_specific: OsvSpecific.optional(),
});
export type OsvRange = z.infer<typeof OsvRange>;

/** `{ "type": "CVSS_V3", "score": "CVSS:3.1/AV:N/..." }`; `Ubuntu` and others carry words. */
export const OsvSeverity = z.looseObject({
  type: z.string(),
  score: z.string(),
});
export type OsvSeverity = z.infer<typeof OsvSeverity>;

/** `{ "ecosystem": "Debian:12", "name": "perl", "purl": "pkg:deb/debian/perl?..." }` */
export const OsvPackage = z.looseObject({
  ecosystem: z.string(),
  name: z.string(),
  purl: z.string().optional(),
});
export type OsvPackage = z.infer<typeof OsvPackage>;

export const OsvAffected = z.looseObject({
  /** Absent only in records that describe GIT ranges alone. */
  package: OsvPackage.optional(),
  severity: z.array(OsvSeverity).optional(),
  ranges: z.array(OsvRange).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: OsvSpecific.optional(),
  database_specific: OsvSpecific.optional(),
});
export type OsvAffected = z.infer<typeof OsvAffected>;

/** `{ "type": "ADVISORY", "url": "https://security-tracker.debian.org/tracker/CVE-..." }` */
export const OsvReference = z.looseObject({
  type: z.string(),
  url: z.string(),
});
export type OsvReference = z.infer<typeof OsvReference>;

/** A whole record, as one `<ID>.json` of an OSV.dev `all.zip` export. */
export const OsvRecord = z.looseObject({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  upstream: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(OsvSeverity).optional(),
  affected: z.array(OsvAffected).optional(),
  references: z.array(OsvReference).optional(),
  database_specific: OsvSpecific.optional(),
});
export type OsvRecord = z.infer<typeof OsvRecord>;
