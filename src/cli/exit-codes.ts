/** Process exit codes, the contract scripts and CI pipelines rely on. */
export const EXIT = {
  /** No finding at or above the `--fail-on` threshold (or no threshold). */
  clean: 0,
  /** Findings at or above the `--fail-on` threshold. */
  findings: 1,
  /** A usage error or an input bulkhead cannot read (bad flag, corrupt image, no DB). */
  usage: 2,
  /** The scan itself failed (engine error, I/O failure, defect). */
  failed: 3,
} as const;
