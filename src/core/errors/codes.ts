/**
 * Every error code bulkhead raises. Codes are stable kebab-case strings: scripts and the JSON
 * report may depend on them, so a code is never renamed, only added.
 */
export const ERROR_CODES = {
  usage: 'the command line is wrong',
  'input-not-found': 'a file, directory or image named on the command line does not exist',
  'input-unrecognized': 'the input is not an image, archive or directory bulkhead can read',
  'image-ambiguous': 'an archive or index holds several images or platforms and none was picked',
  'image-not-found': 'the named image or platform is not in the archive, layout or engine',
  'image-corrupt': 'an image archive, manifest, config or layer is damaged or inconsistent',
  'image-too-large': 'an image exceeds a safety limit (size, file count, path depth)',
  'engine-unreachable': 'the Docker engine could not be reached',
  'engine-error': 'the Docker engine answered with an error',
  'db-missing': 'no vulnerability database has been imported yet',
  'db-corrupt': 'the vulnerability database cannot be read',
  'db-source-unreachable': 'a vulnerability data source could not be fetched',
  'db-source-invalid': 'a vulnerability data source is not an OSV export',
  'output-failed': 'the report could not be written',
  'sensor-unavailable': 'eBPF tracing with bpftrace is not possible on this host',
  'sensor-failed': 'the bpftrace sensor could not start or stopped unexpectedly',
  internal: 'a defect in bulkhead itself',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
