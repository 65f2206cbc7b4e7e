import { describe, expect, it } from 'vitest';
import type { AttributedPackageSet, WalkOutput, WalkResult } from '../image/walker-types.js';
import type { ImageMetadata, Package } from '../inventory/types.js';
import { buildInventory } from './inventory-builder.js';

const artifact: ImageMetadata = {
  reference: 'test',
  source: 'filesystem',
  repoTags: [],
  repoDigests: [],
  layers: [],
};

function npm(name: string, version: string, path: string, dev?: boolean): Package {
  return {
    name,
    version,
    ecosystem: 'npm',
    purl: `pkg:npm/${name}@${version}`,
    path,
    ...(dev ? { dev } : {}),
  };
}

function set(
  source: AttributedPackageSet['source'],
  path: string,
  packages: Package[],
): WalkOutput {
  const ecosystem = packages[0]?.ecosystem ?? 'npm';
  return { analyzerId: source, path, packageSets: [{ source, ecosystem, path, packages }] };
}

function walk(outputs: WalkOutput[]): WalkResult {
  return {
    outputs,
    files: { get: () => undefined, entries: () => new Map().entries(), count: 0 },
    warnings: [],
    stats: { layers: 0, entries: 0, bytesRead: 0, analyzedFiles: 0, skippedEntries: 0 },
  };
}

const debianOs: WalkOutput[] = [
  {
    analyzerId: 'os-release',
    path: '/etc/os-release',
    os: { path: '/etc/os-release', id: 'debian', versionId: '12' },
  },
  {
    analyzerId: 'os-release',
    path: '/etc/debian_version',
    os: { path: '/etc/debian_version', debianVersion: '12.8' },
  },
];

describe('scan/inventory-builder', () => {
  it('makes one OS target whose purls carry the distro', () => {
    const bash: Package = {
      name: 'bash',
      version: '5.2.15-2+b7',
      ecosystem: 'debian',
      arch: 'amd64',
      purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64',
      path: '/var/lib/dpkg/status',
      sourceName: 'bash',
      sourceVersion: '5.2.15-2',
    };

    const inventory = buildInventory(
      walk([...debianOs, set('dpkg-status', '/var/lib/dpkg/status', [bash])]),
      artifact,
    );

    expect(inventory.os).toMatchObject({ family: 'debian', version: '12.8', release: '12' });
    expect(inventory.targets).toHaveLength(1);
    expect(inventory.targets[0]).toMatchObject({ name: 'debian 12.8 (dpkg)', kind: 'os-packages' });
    expect(inventory.targets[0]?.packages[0]?.purl).toBe(
      'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&distro=debian-12.8',
    );
  });

  it('warns when OS packages are found but no OS release file', () => {
    const pkg: Package = {
      name: 'x',
      version: '1',
      ecosystem: 'debian',
      purl: 'pkg:deb/debian/x@1',
      path: '/var/lib/dpkg/status',
    };

    const inventory = buildInventory(
      walk([set('dpkg-status', '/var/lib/dpkg/status', [pkg])]),
      artifact,
    );

    expect(inventory.targets[0]?.name).toBe('unknown OS (dpkg)');
    expect(inventory.warnings.map((w) => w.code)).toEqual(['os-not-detected']);
  });

  it.each([
    [
      'installed packages win over the lockfile beside them, which only flags dev ones',
      [
        set('npm-package-json', '/app/node_modules/lodash/package.json', [
          npm('lodash', '4.17.15', '/app/node_modules/lodash/package.json'),
        ]),
        set('npm-package-json', '/app/node_modules/jest/package.json', [
          npm('jest', '29.0.0', '/app/node_modules/jest/package.json'),
        ]),
        set('npm-lockfile', '/app/package-lock.json', [
          npm('lodash', '4.17.15', '/app/package-lock.json'),
          npm('jest', '29.0.0', '/app/package-lock.json', true),
        ]),
      ],
      [['/app/node_modules', 'installed-packages', ['jest@29.0.0 dev', 'lodash@4.17.15']]],
    ],
    [
      "npm's hidden lockfile flags dev packages of its tree",
      [
        set('npm-package-json', '/srv/node_modules/a/package.json', [
          npm('a', '1.0.0', '/srv/node_modules/a/package.json'),
        ]),
        set('npm-hidden-lockfile', '/srv/node_modules/.package-lock.json', [
          npm('a', '1.0.0', '/srv/node_modules/.package-lock.json', true),
        ]),
      ],
      [['/srv/node_modules', 'installed-packages', ['a@1.0.0 dev']]],
    ],
    [
      'a lockfile with nothing installed beside it is a target of its own',
      [
        set('npm-lockfile', '/src/package-lock.json', [
          npm('b', '2.0.0', '/src/package-lock.json', true),
        ]),
        set('npm-package-json', '/app/node_modules/a/package.json', [
          npm('a', '1.0.0', '/app/node_modules/a/package.json'),
        ]),
      ],
      [
        ['/app/node_modules', 'installed-packages', ['a@1.0.0']],
        ['/src/package-lock.json', 'lockfile', ['b@2.0.0 dev']],
      ],
    ],
    [
      'nested node_modules belong to the outermost project',
      [
        set('npm-package-json', '/app/node_modules/m/node_modules/minimist/package.json', [
          npm('minimist', '0.0.8', '/app/node_modules/m/node_modules/minimist/package.json'),
        ]),
        set('npm-package-json', '/app/node_modules/minimist/package.json', [
          npm('minimist', '1.2.5', '/app/node_modules/minimist/package.json'),
        ]),
      ],
      [['/app/node_modules', 'installed-packages', ['minimist@0.0.8', 'minimist@1.2.5']]],
    ],
  ])('%s', (_title, outputs, expected) => {
    const inventory = buildInventory(walk(outputs), artifact);

    const summary = inventory.targets.map((t) => [
      t.name,
      t.kind,
      t.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`),
    ]);

    expect(summary).toEqual(expected);
  });
});
