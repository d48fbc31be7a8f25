// The guide's "Query your records" example, taken from docs/guide.md as a
// reader copies it, runs against a local JSON API; then `collect query` and
// `collect show` read its run: the columns its declarations promise, with
// their types, and the records.
import { runCommand } from '../helpers/command.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import type { Command } from '../../runtime/tools/cli/command.ts';
import { queryCommand } from '../../runtime/tools/cli/commands/query.ts';
import { showCommand } from '../../runtime/tools/cli/commands/show.ts';
import { tempDir } from '../helpers/collector.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { runCliInProcess } from '../reliability/cli.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/guide.md', import.meta.url)), 'utf8');
const section = guide.slice(guide.indexOf('## Query your records'), guide.indexOf('## Network guard'));
const example = /```yaml\n# collectors\/catalogue-example\.yaml\n([\s\S]*?)```/.exec(section)?.[1];

const run = (command: Command, argv: string[], cwd: string) => runCommand(command, argv, cwd, { COLUMNS: '100' });

let api: RunningSite;
let dir: string;
beforeAll(async () => {
  api = await startJsonApi({ total: 25, pageSize: 10 });
  dir = tempDir('collect-guide-query-');
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', 'catalogue-example.yaml'), example ?? '');
});
afterAll(() => api.close());

describe('guide: query your records', () => {
  it('has the example in its section, and it validates without errors', () => {
    expect(example).toBeDefined();
    const { diagnostics } = loadCollectorText(example!, 'collectors/catalogue-example.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('runs against a local API, and collect query reads its records with the declared columns and types', async () => {
    const cli = await runCliInProcess(['run', 'collectors/catalogue-example.yaml', '--allow-private-network', '--var', `api=${api.url}`], {
      cwd: dir,
    });
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);

    const tables = await run(queryCommand, ['--tables'], dir);
    expect(tables.stdout).toContain(
      'id bigint, name string, updated string, labels array<string>, item struct<name:string,updated:string>, dt string, "$path" string',
    );
    const query = await run(
      queryCommand,
      ['SELECT id, name, labels, item.updated AS updated FROM catalogue_example ORDER BY id DESC LIMIT 3', '--format', 'json'],
      dir,
    );
    expect(
      query.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(
      [25, 24, 23].map((id) => ({
        id,
        name: `item ${id}`,
        labels: [`item ${id}`],
        updated: `2024-01-${String((id % 28) + 1).padStart(2, '0')}`,
      })),
    );
    const count = await run(
      queryCommand,
      ['SELECT count(*) AS n, count(DISTINCT dt) AS days FROM catalogue_example', '--format', 'csv'],
      dir,
    );
    expect(count.stdout).toBe('n,days\n25,1\n');
    const runs = await run(
      queryCommand,
      ["SELECT status, records FROM collect_runs WHERE collector = 'catalogue-example'", '--format', 'csv'],
      dir,
    );
    expect(runs.stdout).toBe('status,records\nsucceeded,25\n');
  });

  it('collect show prints the run with every field filled', async () => {
    const show = await run(showCommand, ['catalogue-example', '--rows', '2'], dir);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(
      /^catalogue-example: run \d{8}T\d{6}Z-[0-9a-f]{6} \(dt=\d{4}-\d\d-\d\d, succeeded, \d+ pages\), 25 records in \d+ parts?\n/,
    );
    expect(show.stdout).toMatch(/^id\s+name\s+updated\s+labels\s+item$/m);
    expect(show.stdout).toContain('… 23 more (--rows N)');
    for (const field of ['id', 'name', 'updated', 'labels', 'item'])
      expect(show.stdout).toMatch(new RegExp(`^${field}\\s+25\\s+100%$`, 'm'));
  });
});
