import { execFileSync } from 'node:child_process';

export interface InstalledDeb {
  name: string;
  version: string;
  sourceName: string;
  sourceVersion: string;
}

/** What `dpkg-query -W` lists inside a real image, run by the real engine. */
export function dpkgQueryInImage(image: string): InstalledDeb[] {
  const out = execFileSync(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      image,
      'dpkg-query',
      '-W',
      '-f',
      '${db:Status-Status}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\n',
    ],
    { encoding: 'utf8' },
  );
  return (
    out
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      // Packages removed but for their config files are not installed software.
      .filter(([status]) => status !== 'config-files' && status !== 'not-installed')
      .map(([, name = '', version = '', sourceName = '', sourceVersion = '']) => ({
        name,
        version,
        sourceName,
        sourceVersion,
      }))
  );
}

/**
 * The Debian advisories an independent reading expects: every `Debian:<release>` record in the
 * mirror naming an installed source package whose version the REAL `dpkg --compare-versions`
 * puts below the record's fixed version. Returns `binary package -> record ids`.
 */
export function expectedDebianFindings(
  zip: string,
  release: string,
  installed: InstalledDeb[],
): Map<string, Set<string>> {
  const script = String.raw`
import json, subprocess, sys, zipfile
zip_path, release, installed = sys.argv[1], sys.argv[2], json.loads(sys.stdin.read())
sources = {p['sourceName']: p['sourceVersion'] for p in installed}
out = {}
with zipfile.ZipFile(zip_path) as z:
    for member in z.namelist():
        record = json.loads(z.read(member))
        if record.get('withdrawn'):
            continue
        for affected in record.get('affected', []):
            pkg = affected['package']
            if pkg['ecosystem'] != 'Debian:' + release or pkg['name'] not in sources:
                continue
            for rng in affected.get('ranges', []):
                fixed = [e['fixed'] for e in rng['events'] if 'fixed' in e]
                intro = [e['introduced'] for e in rng['events'] if 'introduced' in e]
                if intro != ['0'] or len(fixed) != 1:
                    raise SystemExit('unexpected range shape in ' + record['id'])
                lt = subprocess.run(['dpkg', '--compare-versions', sources[pkg['name']], 'lt', fixed[0]])
                if lt.returncode == 0:
                    out.setdefault(pkg['name'], []).append(record['id'])
print(json.dumps(out))
`;
  const bySource = JSON.parse(
    execFileSync('python3', ['-c', script, zip, release], {
      input: JSON.stringify(installed),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as Record<string, string[]>;
  const expected = new Map<string, Set<string>>();
  for (const pkg of installed) {
    const ids = bySource[pkg.sourceName];
    if (ids) {
      expected.set(pkg.name, new Set(ids));
    }
  }
  return expected;
}
