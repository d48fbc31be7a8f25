// The commands as a user runs them (node bin/collect.mjs, a process each):
// `collect validate` warns from a recording that the items are rendered by
// script, `collect try --browser` shows HTTP and the browser side by side,
// `collect run` with a browser block writes the rendered records and exits on
// its own (the browser closes with the run).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/collector.ts';
import { findFiles } from '../helpers/parts.ts';
import { startRenderedSite, type RenderedSite } from './site.ts';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/collect.mjs');

let site: RenderedSite;
let dir: string;
beforeAll(async () => {
  site = await startRenderedSite({ pages: 2 });
  dir = tempDir('collect-browser-cli-');
});
afterAll(() => site.close());

function collectorYaml(name: string, browser: string[]): string {
  return [
    `name: ${name}`,
    'start:',
    `  urls: ["${site.url}/list?page=1"]`,
    ...browser,
    'extract:',
    '  items: li.item',
    '  fields:',
    '    name: a',
    '    price: {selector: .price, type: number}',
    'paginate: {type: next-link, selector: a.next}',
    `output: s3://test-bucket/${name}`,
    '',
  ].join('\n');
}

async function collect(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the CLI with a browser', () => {
  it('validate warns from the recording that the items are rendered by script', async () => {
    writeFileSync(join(dir, 'plain.yaml'), collectorYaml('plain', []));
    const recorded = await collect(['record', 'plain.yaml', '--allow-private-network', '--no-expected']);
    expect(recorded.stderr).not.toMatch(/Error/);
    const { code, stdout } = await collect(['validate', 'plain.yaml']);
    expect(code).toBe(0); // a warning
    expect(stdout).toContain(
      `plain.yaml:5:10 warning extract.items: "li.item" matches nothing in the recorded page ${site.url}/list?page=1 (plain.har), which loads 1 script (<script src>) and holds 4 characters of text: its items are likely rendered by script`,
    );
  });

  it('try --browser shows the page over HTTP and in the browser, side by side', async () => {
    const { code, stdout } = await collect(['try', 'plain.yaml', '--browser', '--allow-private-network']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/records +0 \("li\.item" matched nothing\) +3\n/);
    expect(stdout).toMatch(/next page +none \(.*\) +http:\/\/127\.0\.0\.1:\d+\/list\?page=2/);
    expect(stdout).toContain('→ the items are rendered by script: add a browser block, e.g. browser: {wait: {selector: "li.item"}}');
    expect(stdout).toContain('"Item 1"');
  });

  it('run renders every page, writes the records and exits when done', async () => {
    writeFileSync(join(dir, 'rendered.yaml'), collectorYaml('rendered', ['browser:', '  wait: {selector: li.item}']));
    const out = join(dir, 'out');
    const { code, stdout, stderr } = await collect(['run', 'rendered.yaml', '--allow-private-network', '--out', out]);
    expect(`${stdout}${stderr}`).toMatch(/records +6\n/);
    expect(code).toBe(0);
    const records = findFiles(out, /\.jsonl\.gz$/).flatMap((f) =>
      gunzipSync(readFileSync(f))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { name: string; price: number }),
    );
    expect(records.map((r) => r.name).sort()).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6']);
  });
});
