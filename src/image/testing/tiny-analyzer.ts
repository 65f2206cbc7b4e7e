import type { Analyzer, AnalyzedPackage, AnalyzerOutput } from '../../analyzers/types.js';

/**
 * A deliberately small analyzer for the walker's tests: reads `/etc/os-release` (KEY=value
 * lines) and `/var/lib/dpkg/status` (RFC 822-style stanzas) well enough to compare walks. The
 * real analyzers live in src/analyzers.
 *
 * @example
 * const result = await walkImage(image, [tinyAnalyzer()], { log, progress });
 */
export function tinyAnalyzer(maxFileSize = 16 * 1024 * 1024): Analyzer {
  return {
    id: 'tiny',
    group: 'os-packages',
    version: 1,
    maxFileSize,
    matches: (path) => path === '/var/lib/dpkg/status' || path === '/etc/os-release',
    analyze(file): AnalyzerOutput {
      const text = file.content.toString('utf8');
      if (file.path.endsWith('os-release')) {
        // ID=debian
        const fields = Object.fromEntries(
          text
            .split('\n')
            .map((line) => line.split('=', 2).map((part) => part.replace(/^"|"$/g, ''))),
        );
        return { os: { path: file.path, id: fields.ID, versionId: fields.VERSION_ID } };
      }
      // Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7
      const packages: AnalyzedPackage[] = [];
      for (const stanza of text.split(/\n\n+/)) {
        const get = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(stanza)?.[1];
        const name = get('Package');
        const version = get('Version');
        if (name !== undefined && version !== undefined) {
          packages.push({
            name,
            version,
            arch: get('Architecture'),
            ecosystem: 'debian',
            purl: `pkg:deb/debian/${name}@${version}`,
            path: file.path,
          });
        }
      }
      return {
        packageSets: [{ source: 'dpkg-status', ecosystem: 'debian', path: file.path, packages }],
      };
    },
  };
}
