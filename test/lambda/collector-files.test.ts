// The function's collectors are files beside the bundle, read by name the first
// time a run of one arrives: the others are never read, and a name from an
// event cannot reach outside their folder.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorEntries } from '../../deploy/build/embed.ts';
import { collectorFiles } from '../../runtime/drivers/lambda/collector-files.ts';
import { CollectorRegistry, UnknownCollectorError } from '../../runtime/drivers/lambda/collectors.ts';
import type { EmbeddedCollector } from '../../runtime/drivers/lambda/collectors.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const embedded = (name: string): EmbeddedCollector => ({
  hash: 'a'.repeat(64),
  collector: resolveCollector({
    name,
    start: { urls: [`https://example.com/${name}`] },
    extract: { fields: { title: 'h1' } },
    output: 's3://b/raw/{{ name }}',
  }),
});

let root: string;
let dir: URL;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'collect-files-'));
  await mkdir(join(root, 'collectors'));
  // What the build writes (deploy/build/embed.ts), for two collectors; a third file is broken on purpose.
  for (const [name, text] of collectorEntries([embedded('alpha'), embedded('beta')])) await writeFile(join(root, name), text);
  await writeFile(join(root, 'collectors', 'broken.json'), '{ not json');
  await writeFile(join(root, 'secret.json'), JSON.stringify(embedded('secret')));
  dir = new URL('./collectors/', pathToFileURL(`${root}/`));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the collectors beside the bundle', () => {
  it('loads one collector by name without reading the others (a broken one among them does not matter)', () => {
    const registry = new CollectorRegistry(collectorFiles(dir));
    const alpha = registry.get('alpha');
    expect(alpha.spec.name).toBe('alpha');
    expect(alpha.hash).toBe('a'.repeat(64));
    expect(registry.get('alpha')).toBe(alpha); // compiled once
    expect(registry.get('beta').spec.start.urls).toEqual(['https://example.com/beta']);
    // Only when asked for does the broken file fail, and it fails loudly.
    expect(() => registry.get('broken')).toThrow(SyntaxError);
  });

  it('refuses names that are not collector names, so nothing outside the folder is read', () => {
    const source = collectorFiles(dir);
    for (const name of ['../secret', '..%2fsecret', 'Alpha', '', '/etc/passwd', 'alpha.json'])
      expect(source.load(name), name).toBeUndefined();
    expect(() => new CollectorRegistry(source).get('../secret')).toThrow(UnknownCollectorError);
  });

  it('names the collectors it has when asked for one it has not, at most twenty of them', () => {
    expect(() => new CollectorRegistry(collectorFiles(dir)).get('gamma')).toThrow(
      'collector "gamma" is not in this deployment (it has: alpha, beta, broken)',
    );
    const many = Array.from({ length: 25 }, (_, i) => embedded(`c${String(i).padStart(2, '0')}`));
    expect(() => new CollectorRegistry(many).get('nope')).toThrow(/it has: c00, c01, .*, c19 and 5 more\)$/);
    expect(collectorFiles(new URL('./missing/', dir)).names()).toEqual([]);
  });
});
