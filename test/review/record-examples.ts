// Re-records the example collectors against the local copies of their sites
// (demo/sites), so the committed recordings never depend on the internet:
//   npx tsx test/review/record-examples.ts
// Each HAR keeps the base URL it was recorded with (log._collect.vars), so the
// replay in `collect test` needs no server and no particular port.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { startGithubSite } from '../../demo/sites/github-site.ts';
import { formatTestResult, testCollector } from '../../runtime/tools/review/collector-test.ts';
import { writeHar } from '../../runtime/tools/review/har.ts';
import { recordingPaths } from '../../runtime/tools/review/paths.ts';
import { recordRun } from '../../runtime/tools/review/session.ts';
import { loadCollectorFile } from '../../runtime/language/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Example {
  file: string;
  start(): Promise<RunningSite>;
  variable: string;
  maxPages?: number;
}

export const EXAMPLES: Example[] = [
  // Eight books a listing page keeps the recording near 300 KB: 2 listing pages, 16 detail pages.
  {
    file: 'collectors/books-toscrape.yaml',
    start: () => startBooksSite({ detailCount: 1000, perPage: 8 }),
    variable: 'base_url',
    maxPages: 2,
  },
  // The whole recorded API (13 issues, 5 pages), so the run is complete and minRecords is checked.
  { file: 'collectors/github-issues.yaml', start: () => startGithubSite(), variable: 'api_url' },
];

export async function recordExample(example: Example): Promise<string> {
  const site = await example.start();
  try {
    const loaded = await loadCollectorFile(example.file, ROOT);
    const { har } = await recordRun({
      loaded,
      vars: { [example.variable]: site.url },
      ...(example.maxPages !== undefined ? { maxPages: example.maxPages } : {}),
      allowPrivateNetwork: true,
      env: {},
    });
    await writeHar(recordingPaths(resolve(ROOT, example.file)).har, har);
    const result = await testCollector({ loaded, cwd: ROOT, env: {}, update: true });
    return formatTestResult(result);
  } finally {
    await site.close();
  }
}

const isEntry = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  for (const example of EXAMPLES) process.stdout.write(await recordExample(example));
}
