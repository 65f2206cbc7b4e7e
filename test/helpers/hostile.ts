import { execFileSync } from 'node:child_process';

/**
 * One layer entry for `makeDockerArchive`: a file with content, a directory, a symlink or hard
 * link (`link` is the target), written exactly as given, however hostile the name.
 */
export interface EntrySpec {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  content?: string;
  link?: string;
}

/**
 * Writes a `docker save`-style archive (legacy layout) whose layers hold exactly the given
 * entries, using Python's tarfile so that names like `../../etc/x` stay as written.
 */
export function makeDockerArchive(file: string, layers: EntrySpec[][], tag = 'hostile:1'): void {
  const script = String.raw`
import hashlib, io, json, sys, tarfile
out, tag, layers = sys.argv[1], sys.argv[2], json.loads(sys.stdin.read())
def layer_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            info = tarfile.TarInfo(e['name'])
            kind = e.get('type', 'file')
            data = e.get('content', '').encode()
            if kind == 'dir':
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif kind == 'symlink':
                info.type, info.linkname = tarfile.SYMTYPE, e['link']
            elif kind == 'hardlink':
                info.type, info.linkname = tarfile.LNKTYPE, e['link']
            else:
                info.size, info.mode = len(data), 0o644
            t.addfile(info, io.BytesIO(data) if kind == 'file' else None)
    return buf.getvalue()
blobs = [layer_bytes(l) for l in layers]
diff_ids = ['sha256:' + hashlib.sha256(b).hexdigest() for b in blobs]
config = json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {},
    'rootfs': {'type': 'layers', 'diff_ids': diff_ids},
    'history': [{'created_by': 'layer %d' % i} for i in range(len(blobs))]}).encode()
config_name = hashlib.sha256(config).hexdigest() + '.json'
manifest = json.dumps([{'Config': config_name, 'RepoTags': [tag],
    'Layers': ['%s/layer.tar' % d[7:] for d in diff_ids]}]).encode()
with tarfile.open(out, 'w') as t:
    def add(name, data):
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    for d, b in zip(diff_ids, blobs):
        add('%s/layer.tar' % d[7:], b)
    add(config_name, config)
    add('manifest.json', manifest)
`;
  execFileSync('python3', ['-c', script, file, tag], { input: JSON.stringify(layers) });
}
