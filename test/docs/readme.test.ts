// The README is the user manual: its generated sections are fresh, every
// collector example in it validates, the runnable ones run against local
// sites, and every command and script it names exists.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { startGithubSite } from '../../demo/sites/github-site.ts';
import { main } from '../../runtime/tools/cli/main.ts';
import { loadCommands } from '../../runtime/tools/cli/registry.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { readmePath, withGenerated } from '../../runtime/tools/codegen/generate-reference.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';

const readme = readFileSync(readmePath, 'utf8');
const commands = await loadCommands();
const examples = [...readme.matchAll(/```yaml\n# (collectors\/([a-z0-9-]+)\.yaml)\n([\s\S]*?)```/g)].map((m) => ({ file: m[1]!, name: m[2]!, text: m[3]! }));

function example(name: string): string {
  const found = examples.find((e) => e.name === name);
  if (!found) throw new Error(`README has no example collectors/${name}.yaml`);
  return found.text;
}

async function runExample(name: string, vars: Record<string, string>, env: Record<string, string | undefined> = {}) {
  const dir = tempDir();
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', `${name}.yaml`), example(name));
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const args = ['run', `collectors/${name}.yaml`, '--out', 'out', '--allow-private-network', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])];
  const code = await main(args, { stdout: out, stderr: out, cwd: dir, env: { ...process.env, ...env } });
  return { code, text, dir, records: existsSync(join(dir, 'out')) ? readParts(join(dir, 'out')) : [] };
}

describe('README', () => {
  it('has fresh reference and command sections', () => {
    expect(withGenerated(readme, commands) === readme, 'run `npm run generate:reference`').toBe(true);
  });

  it('has collector examples, and every one validates', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const e of examples) {
      const { diagnostics } = loadCollectorText(e.text, e.file);
      expect(diagnostics.filter((d) => d.severity === 'error'), e.file).toEqual([]);
    }
  });

  it('names only commands and scripts that exist', () => {
    const names = new Set(commands.map((c) => c.name));
    for (const m of readme.matchAll(/(?:npx )?collect ([a-z]+)\b/g)) {
      if (['language', 'command', 'collects'].includes(m[1]!)) continue;
      if (/^(npx )?collect /.test(m[0])) expect(names.has(m[1]!), `collect ${m[1]}`).toBe(true);
    }
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const m of readme.matchAll(/npm run ([a-z:-]+)/g)) expect(scripts[m[1]!], `npm run ${m[1]}`).toBeDefined();
  });

  describe('runnable examples', () => {
    let books: RunningSite;
    let github: RunningSite;
    let api: RunningSite;
    beforeAll(async () => {
      books = await startBooksSite({ detailCount: 40, perPage: 20 });
      github = await startGithubSite();
      api = await startJsonApi({ total: 25, pageSize: 10 });
    });
    afterAll(async () => {
      await books.close();
      await github.close();
      await api.close();
    });

    it('books-example collects listing and detail fields', async () => {
      const { code, records } = await runExample('books-example', { base_url: books.url });
      expect(code).toBe(0);
      expect(records).toHaveLength(40);
      expect(records[0]).toEqual({ title: 'A Light in the Attic', url: `${books.url}/catalogue/a-light-in-the-attic_1/index.html`, rating: 3, price: 51.77, upc: 'a897fe39b1053632' });
    });

    it('issues-example follows Link headers and sends the secret from the environment', async () => {
      const { code, records } = await runExample('issues-example', { api_url: github.url }, { GITHUB_TOKEN: 'ghp_readme_example' });
      expect(code).toBe(0);
      expect(records).toHaveLength(13);
      expect(records[0]).toMatchObject({ id: expect.any(Number), title: expect.any(String), author: expect.any(String) });
    });

    it('issues-example fails clearly without its secret', async () => {
      const { code, text, dir } = await runExample('issues-example', { api_url: github.url }, { GITHUB_TOKEN: undefined });
      expect(code).toBe(1);
      expect(text).toMatch(/GITHUB_TOKEN is not set/);
      expect(existsSync(join(dir, 'out')), 'nothing is written before the secret is known').toBe(false);
    });

    it('cursor-example pages with a cursor', async () => {
      const { code, records } = await runExample('cursor-example', { api: api.url });
      expect(code).toBe(0);
      expect(records.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    });

    it('incremental-example collects only what is new the second time', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'collectors'));
      writeFileSync(join(dir, 'collectors', 'incremental-example.yaml'), example('incremental-example'));
      const io = { stdout: new PassThrough(), stderr: new PassThrough(), cwd: dir, env: process.env };
      const args = ['run', 'collectors/incremental-example.yaml', '--out', 'out', '--allow-private-network', '--var', `api=${api.url}`];
      expect(await main(args, io)).toBe(0);
      expect(readParts(join(dir, 'out'))).toHaveLength(25);
      expect(await main(args, io)).toBe(0);
      expect(readParts(join(dir, 'out'))).toHaveLength(25); // the second run added nothing
    });
  });
});
