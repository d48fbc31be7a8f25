// The guide's "Stop and cursor rules" example, taken from docs/guide.md and run
// with `collect run` against a local GraphQL-like API, twice into the same
// --out: the first run pages through everything with the cursor at
// variables.after and stops at hasNextPage false; the second sends the stored
// mark at variables.since and collects only the newer items.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { main } from '../../runtime/tools/cli/main.ts';
import { tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';
import { initialItems, startPagingSite, type PagingSite } from '../paginate/paging-site.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const guide = readFileSync(join(REPO, 'docs/guide.md'), 'utf8');
const section = guide.slice(guide.indexOf('## Stop and cursor rules'), guide.indexOf('## Network guard'));
const example = /```yaml\n# collectors\/graphql-example\.yaml\n([\s\S]*?)```/.exec(section)?.[1];

let site: PagingSite;
beforeAll(async () => (site = await startPagingSite()));
afterAll(() => site.close());

async function run(dir: string, out: string): Promise<{ code: number; text: string }> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  const args = ['run', 'collectors/graphql-example.yaml', '--out', out, '--allow-private-network', '--var', `api=${site.url}`];
  const code = await main(args, { stdout: stream, stderr: stream, cwd: dir, env: { ...process.env } });
  return { code, text };
}

describe('docs/guide.md: Stop and cursor rules', () => {
  it('has the example in its section, and it validates', () => {
    expect(example, 'collectors/graphql-example.yaml in "## Stop and cursor rules"').toBeDefined();
    const { diagnostics } = loadCollectorText(example!, 'collectors/graphql-example.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('pages by variables.after until hasNextPage is false, then sends the mark at variables.since', async () => {
    site.items = initialItems();
    const dir = tempDir();
    mkdirSync(join(dir, 'collectors'));
    writeFileSync(join(dir, 'collectors', 'graphql-example.yaml'), example!);

    const first = await run(dir, 'out1');
    expect(first.code, first.text).toBe(0);
    const records = readParts(join(dir, 'out1'));
    expect(records.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(records[0]).toMatchObject({ id: 25, updated: '2024-01-25T00:00:00.000Z' });
    const sent = () => site.requestsTo('/graphql').map((r) => (JSON.parse(r.body) as { variables: Record<string, unknown> }).variables);
    // Three pages and not one more: the third says hasNextPage false.
    expect(sent().map((v) => [v.after === null ? null : 'token', v.since])).toEqual([
      [null, null],
      ['token', null],
      ['token', null],
    ]);

    // Two newer items; the same state folder (out1/.collect/state) is read by a run into out1 again.
    site.items = [{ id: 26, updated: '2024-02-01T00:00:00.000Z' }, ...initialItems()];
    const second = await run(dir, 'out1');
    expect(second.code, second.text).toBe(0);
    expect(sent().slice(3)).toEqual([{ after: null, first: 10, since: '2024-01-25T00:00:00.000Z' }]);
    const all = readParts(join(dir, 'out1'));
    expect(all.filter((r) => r.id === 26)).toHaveLength(1);
    expect(all).toHaveLength(26);
  });
});
