// The README and docs/ are the user manual: the generated pages
// (docs/reference.md, docs/commands.md) are fresh, every collector example of
// the guide (docs/guide.md) validates, the runnable ones run against local
// sites, and every command and script they name exists. Links and the
// README's length are checked in test/docs/links.test.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { startGithubSite } from '../../demo/sites/github-site.ts';
import { main } from '../../runtime/tools/cli/main.ts';
import { loadCommands } from '../../runtime/tools/cli/registry.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { commandsPath, referencePath, withCommands, withReference } from '../../runtime/tools/codegen/generate-reference.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const guide = readFileSync(join(REPO, 'docs/guide.md'), 'utf8');
/** README.md and every docs/*.md, by path relative to the repository. */
const pages = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
].map((file) => ({ file, text: readFileSync(join(REPO, file), 'utf8') }));
const commands = await loadCommands();
const examples = [...guide.matchAll(/```yaml\n# (collectors\/([a-z0-9-]+)\.yaml)\n([\s\S]*?)```/g)].map((m) => ({
  file: m[1]!,
  name: m[2]!,
  text: m[3]!,
}));

function example(name: string): string {
  const found = examples.find((e) => e.name === name);
  if (!found) throw new Error(`docs/guide.md has no example collectors/${name}.yaml`);
  return found.text;
}

async function runExample(name: string, vars: Record<string, string>, env: Record<string, string | undefined> = {}) {
  const dir = tempDir();
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', `${name}.yaml`), example(name));
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const args = [
    'run',
    `collectors/${name}.yaml`,
    '--out',
    'out',
    '--allow-private-network',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
  ];
  const code = await main(args, { stdout: out, stderr: out, cwd: dir, env: { ...process.env, ...env } });
  return { code, text, dir, records: existsSync(join(dir, 'out')) ? readParts(join(dir, 'out')) : [] };
}

describe('README and docs', () => {
  it('has a fresh docs/reference.md and docs/commands.md', () => {
    const reference = readFileSync(referencePath, 'utf8');
    const commandsPage = readFileSync(commandsPath, 'utf8');
    expect(withReference(reference) === reference, 'docs/reference.md is stale: run `npm run generate:reference`').toBe(true);
    expect(withCommands(commandsPage, commands) === commandsPage, 'docs/commands.md is stale: run `npm run generate:reference`').toBe(true);
  });

  it('has collector examples in docs/guide.md, and every one validates', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const e of examples) {
      const { diagnostics } = loadCollectorText(e.text, e.file);
      expect(
        diagnostics.filter((d) => d.severity === 'error'),
        e.file,
      ).toEqual([]);
    }
  });

  it('names only commands and scripts that exist, in README.md and every docs/*.md', () => {
    expect(pages.map((p) => p.file)).toEqual(
      expect.arrayContaining(['README.md', 'docs/guide.md', 'docs/reference.md', 'docs/commands.md', 'docs/aws.md']),
    );
    const names = new Set(commands.map((c) => c.name));
    const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const { file, text } of pages) {
      for (const m of text.matchAll(/(?:npx )?collect ([a-z]+)\b/g)) {
        if (['language', 'command', 'collects'].includes(m[1]!)) continue;
        if (/^(npx )?collect /.test(m[0])) expect(names.has(m[1]!), `${file}: collect ${m[1]}`).toBe(true);
      }
      for (const m of text.matchAll(/npm run ([a-z:-]+)/g)) expect(scripts[m[1]!], `${file}: npm run ${m[1]}`).toBeDefined();
    }
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
      expect(records[0]).toEqual({
        title: 'A Light in the Attic',
        url: `${books.url}/catalogue/a-light-in-the-attic_1/index.html`,
        rating: 3,
        price: 51.77,
        upc: 'a897fe39b1053632',
      });
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
