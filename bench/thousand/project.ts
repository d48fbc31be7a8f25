// A project of many distinct collectors, written to a folder: what a data team
// with hundreds of sources has. Deterministic (collector i is always the same),
// varied the way real projects are: HTML listings with and without detail pages,
// JSON APIs with page numbers, cursors and nested fields, cron schedules at
// different hours and time zones, rates, on-demand collectors, flexible windows,
// several output prefixes and concurrency settings. Kept out of collectors/: the
// bench and the tests write it to a temporary folder.
//   npx tsx bench/thousand/project.ts DIR [COUNT]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const THOUSAND = 1000;

/** The project config of the generated project: one environment, the default scope. */
export const PROJECT_CONFIG = `region: eu-west-1
functionName: lake
state:
  bucket: lake-terraform-state
concurrency:
  accountLimit: 1000
environments:
  dev:
    functionName: lake-dev
    bucket: { name: lake-output-dev }
`;

const KINDS = ['html-listing', 'html-details', 'json-pages', 'json-cursor', 'json-nested'] as const;
type Kind = (typeof KINDS)[number];

const TIMEZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
const TEAMS = ['sales', 'ops', 'research', 'pricing', 'content', 'hr', 'finance'];

export function collectorName(i: number): string {
  return `source-${String(i).padStart(4, '0')}`;
}

export function kindOf(i: number): Kind {
  return KINDS[i % KINDS.length]!;
}

/** One collector's YAML: the i-th of the project. */
export function collectorYaml(i: number): string {
  const name = collectorName(i);
  const kind = kindOf(i);
  const host = `site-${i % 97}.example.com`;
  const team = TEAMS[i % TEAMS.length]!;
  const lines = [
    `name: ${name}`,
    `description: Generated source ${i} (${kind}) for the thousand-collector project.`,
    `owner: ${team}@example.com`,
    `tags: [${team}, ${kind}]`,
    '',
    ...body(kind, i, host),
    '',
    // Most collectors write below raw/<name>; some teams keep their own prefix.
    i % 4 === 0 ? `output: s3://lake/${team}/{{ name }}` : 'output: s3://lake/raw/{{ name }}',
    ...schedule(i),
    'expect:',
    '  minRecords: 1',
    'scaling:',
    `  batchSize: ${1 + (i % 5)}`,
    `  maxConcurrency: ${2 + (i % 4)}`,
    '',
  ];
  return lines.join('\n');
}

function body(kind: Kind, i: number, host: string): string[] {
  const field = (n: number) => `f${(i * 7 + n) % 13}_${n}`;
  switch (kind) {
    case 'html-listing':
      return [
        'start:',
        `  urls: ["https://${host}/list/${i}/page-1.html"]`,
        'parse: html',
        'extract:',
        '  items: li.item',
        '  fields:',
        '    title: { selector: a, required: true }',
        '    url: { selector: a, attr: href, type: url }',
        `    ${field(1)}: { selector: .price, regex: "([0-9.]+)", type: number }`,
        `    ${field(2)}: .summary`,
        'paginate:',
        '  type: next-link',
        '  selector: a.next',
        `  stop: { maxPages: ${10 + (i % 40)} }`,
      ];
    case 'html-details':
      return [
        'start:',
        `  urls: ["https://${host}/catalogue/${i}/index.html"]`,
        'parse: html',
        'extract:',
        '  items: article.product',
        '  fields:',
        '    title: { selector: h3 a, attr: title, required: true }',
        '    url: { selector: h3 a, attr: href, type: url, required: true }',
        'follow:',
        '  field: url',
        '  extract:',
        '    fields:',
        '      sku: { selector: .sku, required: true }',
        `      ${field(3)}: { selector: .stock, regex: "(\\\\d+)", type: integer }`,
        `      ${field(4)}: { selector: .tags a, list: true }`,
        '      released: { selector: time, attr: datetime, type: date }',
        'paginate:',
        '  type: next-link',
        '  selector: li.next a',
        '  stop: { maxPages: 50 }',
      ];
    case 'json-pages':
      return [
        'start:',
        `  urls: ["https://${host}/api/v1/items?team=${i}"]`,
        'parse: json',
        'extract:',
        '  items: "data[]"',
        '  fields:',
        '    id: { path: id, type: integer, required: true }',
        '    name: name',
        `    ${field(5)}: { path: score, type: number }`,
        '    active: { path: active, type: boolean }',
        'paginate:',
        '  type: page-number',
        '  param: page',
        '  stop: { maxPages: 25 }',
        'records:',
        '  dedupeKey: [id]',
      ];
    case 'json-cursor':
      return [
        'start:',
        `  urls: ["https://${host}/api/events?stream=${i}"]`,
        'parse: json',
        'extract:',
        '  items: "events[]"',
        '  fields:',
        '    id: { path: id, required: true }',
        '    at: { path: timestamp, type: date }',
        `    ${field(6)}: { path: "labels[].name", list: true }`,
        'paginate:',
        '  type: cursor',
        '  tokenPath: next',
        '  param: cursor',
        '  stop: { maxPages: 100 }',
      ];
    case 'json-nested':
      return [
        'start:',
        `  urls: ["https://${host}/api/repos/${i}/issues"]`,
        'parse: json',
        'extract:',
        '  items: "[]"',
        '  fields:',
        '    id: { path: id, type: integer, required: true }',
        '    title: title',
        '    author:',
        '      path: user',
        '      fields:',
        '        login: login',
        '        id: { path: id, type: integer }',
        '    labels:',
        '      path: "labels[]"',
        '      list: true',
        '      fields:',
        '        name: name',
        '        color: color',
        `    ${field(7)}: payload`,
      ];
  }
}

function schedule(i: number): string[] {
  const timezone = TIMEZONES[i % TIMEZONES.length]!;
  switch (i % 10) {
    case 0:
      return []; // on demand
    case 1:
      return ['schedule:', '  expression: rate(1 day)'];
    case 2:
      return ['schedule:', `  expression: rate(${2 + (i % 10)} hours)`];
    case 3:
      return ['schedule:', `  expression: cron(${i % 60} ${i % 24} ? * MON-FRI *)`, `  timezone: ${timezone}`];
    case 4:
      return ['schedule:', `  expression: cron(${(i * 7) % 60} ${(i * 5) % 24} * * ? *)`, '  flexibleWindowMinutes: 30'];
    default:
      return ['schedule:', `  expression: cron(${(i * 11) % 60} ${(i * 3) % 24} * * ? *)`, `  timezone: ${timezone}`];
  }
}

/** Writes `count` collectors and collect.config.yaml under `dir`; returns the collectors folder. */
export async function writeThousandProject(dir: string, count = THOUSAND): Promise<string> {
  const collectors = join(dir, 'collectors');
  await mkdir(collectors, { recursive: true });
  await writeFile(join(dir, 'collect.config.yaml'), PROJECT_CONFIG);
  await Promise.all(Array.from({ length: count }, (_, i) => writeFile(join(collectors, `${collectorName(i)}.yaml`), collectorYaml(i))));
  return collectors;
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) throw new Error('usage: npx tsx bench/thousand/project.ts DIR [COUNT]');
  console.log(await writeThousandProject(dir, count ? Number(count) : THOUSAND));
}
