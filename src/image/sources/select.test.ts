import { describe, expect, it } from 'vitest';
import { normalizeName, parsePlatform, selectCandidate, type Candidate } from './select.js';

const amd = { os: 'linux', architecture: 'amd64' };
const arm = { os: 'linux', architecture: 'arm64', variant: 'v8' };

describe('image/sources/select', () => {
  it.each([
    ['debian', 'debian:latest'],
    ['docker.io/library/debian:12', 'debian:12'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['app@sha256:abc', 'app@sha256:abc'],
  ])('normalizes %j to %j', (name, expected) => {
    expect(normalizeName(name)).toBe(expected);
  });

  it('parses platforms and rejects malformed ones', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual(arm);
    expect(() => parsePlatform('linux')).toThrow(/os\/arch/);
  });

  it('picks by name, by platform, the only one, or the host platform', () => {
    const candidates: Candidate[] = [
      { names: ['app:1'], platform: amd },
      { names: ['app:1'], platform: { os: 'linux', architecture: 'arm64' } },
      { names: ['other:2'], platform: arm },
    ];

    expect(selectCandidate(candidates, { name: 'other:2' }, 'x')).toBe(candidates[2]);
    expect(selectCandidate(candidates, { name: 'app:1', platform: 'linux/arm64/v8' }, 'x')).toBe(
      candidates[1],
    );
    expect(selectCandidate([candidates[2] as Candidate], {}, 'x')).toBe(candidates[2]);
    expect(selectCandidate(candidates.slice(0, 2), {}, 'x')).toBe(candidates[0]);
  });

  it('throws image-ambiguous listing names and platforms', () => {
    const candidates: Candidate[] = [
      { names: ['a:1'], platform: arm },
      { names: ['b:1'], platform: { os: 'linux', architecture: 's390x' } },
    ];

    expect(() => selectCandidate(candidates, {}, 'img.tar')).toThrow(
      expect.objectContaining({
        code: 'image-ambiguous',
        message: expect.stringMatching(/a:1 \[linux\/arm64\/v8\].*b:1 \[linux\/s390x\]/),
      }),
    );
    expect(() => selectCandidate(candidates, { name: 'c:1' }, 'img.tar')).toThrow(
      expect.objectContaining({ code: 'image-not-found' }),
    );
  });
});
