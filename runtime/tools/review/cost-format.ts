// The cost estimate as text for the terminal, Markdown for a pull request's job
// summary, or JSON for tools.
import { ASSUMPTIONS, fmt, money, type CostEstimate, type Measured } from './cost.ts';

export function formatCostText(e: CostEstimate): string {
  return render(e, false);
}

export function formatCostMarkdown(e: CostEstimate): string {
  return render(e, true);
}

export function costJson(e: CostEstimate): string {
  return `${JSON.stringify({ ...e, assumptions: ASSUMPTIONS }, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

function render(e: CostEstimate, md: boolean): string {
  const i = e.inputs;
  const out: string[] = [];
  /** Prose paragraphs are indented under their heading in the terminal. */
  const indent = md ? '' : '  ';
  const h = (title: string) => out.push(md ? `\n#### ${title}\n` : `\n${title}`);
  out.push(md ? `### Cost of \`${i.collector}\`: ${money(e.monthly)} a month` : `Monthly cost of ${i.collector}: ${money(e.monthly)}`);
  const elsewhere = i.region && i.region !== e.prices.region ? ` The project deploys to ${i.region}, where prices may differ.` : '';
  out.push(
    `${indent}${money(e.perRunCost)} a run; AWS list prices of ${e.prices.region} as of ${e.prices.asOf} (deploy/prices.json), no free tier.${elsewhere}`,
  );

  h('Inputs');
  const input = (name: string, m: Measured, unit: string): [string, string, string] => [name, `${fmt(m.value)}${unit}`, m.source];
  const rows: [string, string, string][] = [
    input('runs per month', i.runsPerMonth, ''),
    input('pages per run', i.pagesPerRun, ''),
    input('tasks per run', i.tasksPerRun, ''),
    input('latency per page', i.latencyMsPerPage, ' ms'),
    input('CPU per page', i.cpuMsPerPage, ' ms'),
    input('log bytes per page', i.logBytesPerPage, ' B'),
    input('output per page (gzip)', i.outputBytesPerPage, ' B'),
    input('memory', i.memoryMb, ' MB'),
    input('pages in flight per invocation', i.concurrency, ''),
    ['rate limit per invocation', i.perSecond !== undefined ? `${fmt(i.perSecond)}/s` : 'none', 'request.rateLimit.perSecond'],
    input('batch size', i.batchSize, ''),
  ];
  out.push(md ? mdTable(['input', 'value', 'source'], rows) : columns(rows));

  const p = e.perRun;
  h('One run');
  out.push(
    `${indent}${fmt(i.pagesPerRun.value)} pages x ${fmt(p.msPerPage)} ms a page (bound by ${p.boundBy}) = ${fmt(p.billedSeconds)} s billed, ` +
      `${fmt(p.gbSeconds)} GB-s, ${fmt(p.invocations)} invocations, ${fmt(p.sqsRequests)} SQS requests, ${fmt(p.s3Puts)} S3 PUTs.`,
  );

  h('A month');
  const lines: [string, string, string][] = e.lines.map((l) => [l.item, l.quantity, money(l.monthly)]);
  lines.push(['total', '', money(e.monthly)]);
  if (md) {
    out.push(mdTable(['item', 'quantity', 'monthly'], lines));
    out.push(
      '',
      '<details><summary>How each line is computed</summary>',
      '',
      ...e.lines.map((l) => `- ${l.item}: ${l.formula}`),
      '',
      '</details>',
    );
  } else {
    out.push(columns(lines));
    out.push('  how:');
    for (const l of e.lines) out.push(`    ${l.item}: ${l.formula}`);
  }

  const f = e.fixed;
  h(`Every month, runs or not: ${money(f.monthly)}`);
  const fixed: [string, string, string][] = f.lines.map((l) => [l.item, money(l.monthly), l.why]);
  out.push(md ? mdTable(['resource', 'monthly', 'why'], fixed) : columns(fixed));
  out.push(
    `${indent}Idle, the collector costs ${money(f.monthly)} a month, all of it the polling of its queue; whatever a shared resource does for it ` +
      `(alarm, ledger, dead letters, catalog database) costs it nothing. The project pays once, however many collectors: ` +
      `${f.shared.map((l) => `${l.item} ${money(l.monthly)}`).join(', ')} (${money(f.sharedMonthly)} a month).`,
  );

  const c = e.ec2;
  h(`Break-even against EC2 (${c.instance})`);
  const perThousand = e.computeMonthly > 0 && c.pagesPerMonth > 0 ? (e.computeMonthly / c.pagesPerMonth) * 1000 : 0;
  const share =
    Number.isFinite(c.breakEvenPagesPerMonth) && c.breakEvenPagesPerMonth > 0 ? (c.pagesPerMonth / c.breakEvenPagesPerMonth) * 100 : 0;
  out.push(
    `${indent}A ${c.instance} at $${c.perHour}/h costs ${money(c.monthly)} a month running all the time. ` +
      `Lambda compute for this collector costs ${money(e.computeMonthly)} a month (${money(perThousand)} per 1,000 pages), ` +
      `so Lambda is cheaper below ${fmt(c.breakEvenPagesPerMonth)} pages a month; ` +
      `this collector does ${fmt(c.pagesPerMonth)} (${share.toFixed(share < 1 ? 3 : 1)}% of that). ` +
      `One ${c.instance} could do about ${fmt(c.capacityPagesPerMonth)} pages a month, CPU bound. Queue, S3 and log costs are the same either way.`,
  );

  h('Concurrency inside one invocation and batch size (Lambda + SQS a month)');
  const batches = [...new Set(e.sensitivity.map((r) => r.batchSize))];
  const concs = [...new Set(e.sensitivity.map((r) => r.concurrency))];
  const grid: string[][] = concs.map((cc) => [
    `${cc} in flight`,
    ...batches.map((b) => {
      const r = e.sensitivity.find((x) => x.concurrency === cc && x.batchSize === b)!;
      return `${money(r.monthly)} (${fmt(r.msPerPage)} ms/page)`;
    }),
  ]);
  const head = ['', ...batches.map((b) => `batch ${b}`)];
  out.push(md ? mdTable(head, grid) : columns([head, ...grid]));
  const vcpuShare = fmt(Math.min(1, i.memoryMb.value / ASSUMPTIONS.fullVcpuMb));
  out.push(
    `${indent}More pages in flight divide the time a page waits on the network until CPU ` +
      `(${fmt(i.cpuMsPerPage.value)} ms a page on a full vCPU, ${fmt(i.memoryMb.value)} MB gets ${vcpuShare} of one) or the rate limit bounds it; ` +
      'a larger batch means fewer invocations and fewer SQS receives and deletes.',
  );
  return `${out.join('\n')}\n`;
}

function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((cell, k) => {
      widths[k] = Math.max(widths[k] ?? 0, cell.length);
    });
  }
  return rows
    .map(
      (r) =>
        `  ${r
          .map((cell, k) => (k === r.length - 1 ? cell : cell.padEnd(widths[k]!)))
          .join('  ')
          .trimEnd()}`,
    )
    .join('\n');
}

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
