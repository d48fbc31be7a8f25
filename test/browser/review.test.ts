// What the review tools say about a collector with a browser block: `cost`
// prices its pages on the browser function (its memory, x86_64, a rendered
// page's time, measured from a run's manifest when given), `explain` names the
// function that loads them. An HTTP collector keeps the HTTP function's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollectorFile } from '../../runtime/language/load.ts';
import { estimateCost } from '../../runtime/tools/review/cost.ts';
import { gatherCostInputs } from '../../runtime/tools/review/cost-inputs.ts';
import { describePageLoading } from '../../runtime/tools/review/explain-browser.ts';
import { loadPrices } from '../../runtime/tools/review/prices.ts';
import { tempDir } from '../helpers/collector.ts';

const settings = {
  functionName: 'collect',
  stalledAfterMinutes: 180,
  memoryMb: 512,
  timeoutSeconds: 300,
  architecture: 'arm64' as const,
  maxReceiveCount: 5,
  source: 'test settings',
};

function write(name: string, browser: boolean): { dir: string; file: string } {
  const dir = tempDir('collect-browser-review-');
  mkdirSync(join(dir, 'collectors'));
  const file = `collectors/${name}.yaml`;
  writeFileSync(
    join(dir, file),
    [
      `name: ${name}`,
      'start: {urls: ["https://shop.example.com/list"]}',
      ...(browser ? ['browser: {wait: {selector: li.item}, click: {selector: button.more}}'] : []),
      'extract: {items: li.item, fields: {name: a}}',
      'schedule: {expression: "cron(0 6 * * ? *)"}',
      `output: s3://lake/raw/${name}`,
      '',
    ].join('\n'),
  );
  return { dir, file };
}

describe('cost and explain of a browser collector', () => {
  it('prices its pages at the browser function: 2048 MB, x86_64, a rendered page, measured by a manifest when given', async () => {
    const { dir, file } = write('shop', true);
    const loaded = await loadCollectorFile(file, dir);
    const plain = await gatherCostInputs({ loaded, cwd: dir, env: {}, settings, defaultEc2Instance: 't4g.small' });
    expect(plain.memoryMb).toEqual({ value: 2048, source: 'the browser function (runtime/language/browser-function.ts)' });
    expect(plain.architecture).toBe('x86_64');
    expect(plain.latencyMsPerPage.value).toBe(1500);
    expect(plain.cpuMsPerPage.source).toContain("Chromium's CPU");

    const manifest = join(dir, '_manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({ collector: 'shop', runId: 'r', pages: 100, tasks: 1, records: 900, durationMs: 40_000, bytes: 1 }),
    );
    const measured = await gatherCostInputs({
      loaded,
      cwd: dir,
      env: {},
      settings,
      defaultEc2Instance: 't4g.small',
      manifestFile: manifest,
    });
    // 400 ms a page with 8 pages in flight: 3,200 ms each.
    expect(measured.latencyMsPerPage).toEqual({ value: 3200, source: `measured: ${manifest} (400 ms a rendered page with 8 in flight)` });
    const flagged = await gatherCostInputs({
      loaded,
      cwd: dir,
      env: {},
      settings,
      defaultEc2Instance: 't4g.small',
      latencyMs: 900,
      memoryMb: 3008,
    });
    expect(flagged.latencyMsPerPage).toEqual({ value: 900, source: '--latency-ms' });
    expect(flagged.memoryMb).toEqual({ value: 3008, source: '--memory-mb' });

    const prices = await loadPrices();
    const browserCost = estimateCost(plain, prices);
    const other = write('plain', false);
    const http = await gatherCostInputs({
      loaded: await loadCollectorFile(other.file, other.dir),
      cwd: other.dir,
      env: {},
      settings,
      defaultEc2Instance: 't4g.small',
    });
    expect(http.memoryMb.value).toBe(512);
    expect(http.architecture).toBe('arm64');
    expect(browserCost.lines[0]!.item).toBe('Lambda compute (x86_64)');
    expect(browserCost.lines[0]!.formula).toContain('x 2 GB');
  });

  it('explain names the function that loads the pages', () => {
    const http = describePageLoading({ browser: undefined } as never, settings);
    expect(http).toEqual(['every page over HTTP (undici), on the function collect (512 MB); no browser is started']);
  });
});
