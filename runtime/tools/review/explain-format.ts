// An explanation as text (terminal), Markdown (job summary) or JSON.
import { fmt } from './cost.ts';
import type { Explanation } from './explain.ts';

export function formatExplanation(e: Explanation, markdown = false): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (markdown) out.push(`\n**${title}**\n`, ...lines.map((l) => `- ${l}`));
    else out.push(`\n${title}`, ...lines.map((l) => `  ${l}`));
  };
  out.push(
    markdown
      ? `### \`${e.collector}\`${e.description ? `: ${e.description}` : ''}`
      : `${e.collector}${e.description ? ` - ${e.description}` : ''}`,
  );

  const more = e.seeds.count > e.seeds.first.length ? [`... and ${e.seeds.count - e.seeds.first.length} more`] : [];
  section(`Seeds: ${e.seeds.count} URL${e.seeds.count === 1 ? '' : 's'}`, [...e.seeds.first.map((u) => code(u, markdown)), ...more]);

  section(`Pagination: ${e.pagination.strategy}`, [
    e.pagination.how,
    ...(e.pagination.stops.length ? [`stops when: ${e.pagination.stops.join('; ')}`] : []),
  ]);
  section('Follow-ups', e.follow.length ? e.follow : ['none: every record comes from the listing pages alone']);
  if (e.extraction) section('How pages are read', e.extraction);
  if (e.discovery.length) section('Discovery crawl and sitemaps', e.discovery);
  section('Pages per run', [
    `${fmt(e.pages.perRun.value)} pages (${e.pages.perRun.source})`,
    ...(e.pages.recording ? [`recording: ${e.pages.recording}`] : ['no recording yet (collect record)']),
  ]);
  section('Where pages are loaded', e.loading);
  section(`Chain depth: ${e.chain.ok ? 'within' : 'PAST'} Lambda's ${e.chain.limit}-invocation recursion limit`, [e.chain.text]);
  section('Request rate the source can see', [e.rate.text]);
  section('Access (authentication, proxy, robots.txt)', e.access);
  section('Session (cookies and login)', e.session);
  const q = e.queue;
  section('Queue and function', [
    `batch size ${q.batchSize} task${q.batchSize === 1 ? '' : 's'} per invocation, batching window ${q.batchingWindowSeconds} s, at most ${q.maxConcurrency} invocations at once (scaling)`,
    `visibility timeout ${q.visibilityTimeoutSeconds} s (6 x the function timeout of ${q.timeoutSeconds} s); a task goes to the dead-letter queue after ${q.maxReceiveCount} receives`,
    `function memory ${q.memoryMb} MB (${q.source})`,
  ]);
  if (e.schedule) {
    const s = e.schedule;
    const late = s.flexibleWindowMinutes ? `, started up to ${s.flexibleWindowMinutes} min late (flexible window)` : '';
    const disabled = s.enabled ? '' : ' (created disabled)';
    section('Schedule', [
      `${code(s.expression, markdown)} in ${s.timezone}: ${s.description}, ${fmt(s.runsPerMonth)} runs a month${late}${disabled}`,
    ]);
  } else section('Schedule', ['none: runs only on demand']);
  section('S3 keys', [
    code(e.s3.part, markdown),
    code(e.s3.manifest, markdown),
    `${code(e.s3.errors, markdown)} (when pages failed)`,
    ...(e.s3.note ? [e.s3.note] : []),
  ]);
  section('Ceilings (limits; raise them in the YAML)', e.limits.lines);
  section('Expectations (a run below them fails)', e.expect);
  section('When a run fails (on AWS)', e.failure);
  if (e.concurrency) section("Concurrency (the project's peak)", e.concurrency);
  return `${out.join('\n')}\n`;
}

function code(text: string, markdown: boolean): string {
  return markdown ? `\`${text}\`` : text;
}
