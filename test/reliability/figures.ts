// `npm run reliability`: runs every reliability scenario (the same functions
// the tests in this folder assert on) at a larger scale than the tests, and
// prints the figures of RELIABILITY.md as Markdown. Exits 1 when any promise
// did not hold. Options: --crash-seeds N (default 4), --fuzz-cases N (default
// 20000: exactly that many seeded cases, however long they take), --kill-points N
// (default 60: kill points drawn per collector and phase). Times are
// reported as figures; no promise is judged by a clock.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startMoto } from '../helpers/moto.ts';
import { broken, type ExactlyOnceResult, runExactlyOnce } from './aws-exactly-once.ts';
import { runCrashResume, type CrashReport } from './crash.ts';
import { runCrashPoints } from './crash-points.ts';
import { GUARD_CASES, runGuard } from './guard.ts';
import { runHostileBounds } from './hostile-bounds.ts';
import { runHostilePages } from './hostile-pages.ts';
import { runSecrets, secretForms } from './secrets.ts';
import { FAULTS, JSON_FAULTS, runSiteFaults } from './site-faults.ts';
import { FUZZ_SEED, HOSTILE, runHostileInputs, runSpecFuzz } from './spec-fuzz.ts';
import { runTerraformChecks } from './terraform.ts';
import { allProblems, held, type CaseResult } from './verdict.ts';

const { values } = parseArgs({
  options: {
    'crash-seeds': { type: 'string', default: '4' },
    'fuzz-cases': { type: 'string', default: '20000' },
    'kill-points': { type: 'string', default: '60' },
  },
});

interface Row {
  promise: string;
  tried: string;
  result: string;
  /** Must be 0. */
  bad: number;
  command: string;
}

const rows: Row[] = [];
const problems: string[] = [];
const log = (text: string) => process.stderr.write(`${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const TEST = (file: string) => `npx vitest run test/reliability/${file}`;

function record(cases: readonly CaseResult[]): number {
  problems.push(...allProblems(cases));
  return cases.length - held(cases);
}

/** Spellings in the request-level table of test/fetch/guard.test.ts, counted from its source. */
function unitGuardTable(): number {
  const text = readFileSync(new URL('../fetch/guard.test.ts', import.meta.url), 'utf8');
  const block = /const refused[^=]*= \[([\s\S]*?)\n\];/.exec(text)?.[1] ?? '';
  return block.split('\n').filter((l) => /^\s*\['/.test(l)).length;
}

const started = performance.now();

log('site faults ...');
const site = await runSiteFaults();
const faultCases = site.cases;
rows.push({
  promise: 'Faults from the sites: retried or reported, the run finishes, healthy records kept',
  tried: `${FAULTS.length + JSON_FAULTS.length} fault kinds in 2 whole runs (${site.requests} requests)`,
  result:
    `${held(faultCases)} of ${faultCases.length} handled as promised; run checks ${held(site.runs)}/${site.runs.length}; ` +
    `${site.healthyRecords} healthy records: ${site.lost.length} lost, ${site.duplicates.length} duplicated`,
  bad: record([...faultCases, ...site.runs]) + site.lost.length + site.duplicates.length,
  command: TEST('site-faults.test.ts'),
});

log('local crashes ...');
const crashes: CrashReport[] = [];
for (let i = 0; i < Number(values['crash-seeds']); i++) {
  const report = await runCrashResume({ seed: 20261125 + i, kills: 6, books: 200 });
  crashes.push(report);
  log(
    `  seed ${report.seed}: ${report.kills} kills at ${report.crashPoints.join(', ')} ms; exit ${report.code}; ${report.records}/${report.expected} records`,
  );
  if (report.code !== 0) problems.push(`crash seed ${report.seed}: the resumed run exited with ${report.code}`);
  if (report.leftovers.length) problems.push(`crash seed ${report.seed}: temporary parts left: ${report.leftovers.join(', ')}`);
}
const crashLost = crashes.reduce((n, c) => n + c.lost.length, 0);
const crashDup = crashes.reduce((n, c) => n + c.duplicates.length, 0);
const crashPoints = crashes.reduce((n, c) => n + c.kills, 0);
rows.push({
  promise: 'Local crashes: SIGKILL at random points, then --resume: exactly the records of an uninterrupted run',
  tried: `${crashPoints} crash points (SIGKILL) over ${crashes.length} seeded runs of ${crashes[0]?.expected ?? 0} records`,
  result: `${crashLost} records lost, ${crashDup} duplicated, ${crashes.filter((c) => c.code === 0).length}/${crashes.length} runs finished`,
  bad: crashLost + crashDup + crashes.filter((c) => c.code !== 0 || c.leftovers.length > 0).length,
  command: 'npx vitest run test/reliability/crash-resume.test.ts',
});

log('local crashes at chosen writes ...');
const killCount = Number(values['kill-points']);
const kills = await runCrashPoints({ seeds: 20_000, planning: killCount, tasks: killCount, parallel: 2 });
const killBroken = kills.points.filter((p) => p.problems.length > 0);
problems.push(...killBroken.map((p) => `kill point ${p.collector} write ${p.write} ${p.mode} (${p.what}): ${p.problems.join('; ')}`));
const killLost = kills.points.reduce((n, p) => n + p.lost.length, 0);
const killDup = kills.points.reduce((n, p) => n + p.duplicated.length, 0);
rows.push({
  promise:
    'Local crashes at chosen writes (before, after, half-way through each), during planning and during tasks: exactly the records of an uninterrupted run',
  tried: kills.collectors
    .map(
      (c) =>
        `${c.collector}: ${c.tried} of ${c.killPoints} kill points (${c.seeds} seed${c.seeds === 1 ? '' : 's'}, ${c.writes} writes, ${c.planningWrites} of them planning)`,
    )
    .join('; '),
  result: `${kills.points.length - killBroken.length} of ${kills.points.length} resumed exactly; ${killLost} records lost, ${killDup} duplicated`,
  bad: killBroken.length,
  command: TEST('crash-points.test.ts'),
});

log('AWS exactly-once (moto, the built bundle) ...');
const moto = await startMoto();
const aws = await runExactlyOnce(moto.endpoint).finally(() => moto.stop());
const awsBroken = aws.map((r) => broken(r, aws[0]));
problems.push(...awsBroken.flat());
const sum = (f: (r: ExactlyOnceResult) => number) => aws.reduce((n, r) => n + f(r), 0);
rows.push({
  promise:
    'AWS: redeliveries, concurrent copies, S3 and SQS errors, kills between every two steps, duplicate starts, dead letters: exactly the records of an undisturbed run, and the run ends itself',
  tried: `${aws.length} scenarios on the built bundle (${sum((r) => r.deliveries)} task deliveries, ${sum((r) => r.puts)} S3 PUTs); per scenario below`,
  result: `${aws.length - awsBroken.filter((b) => b.length).length} of ${aws.length} held; ${sum((r) => r.lost)} records lost, ${sum((r) => r.duplicated)} duplicated`,
  bad: awsBroken.filter((b) => b.length).length + sum((r) => r.lost + r.duplicated),
  command: TEST('aws-exactly-once.test.ts'),
});

log('secrets ...');
const secrets = await runSecrets();
rows.push({
  promise: 'Secrets never appear in logs, manifests, error reports, messages or recordings',
  tried:
    `${secrets.cases.length} outputs (${secrets.searched} files, lines, objects and messages; ${(secrets.bytes / 1024).toFixed(0)} KiB) ` +
    `searched for ${secretForms().length} forms of the secret (verbatim, encoded, fragments)`,
  result: `${secrets.cases.length - held(secrets.cases)} outputs with a leak`,
  bad: record(secrets.cases),
  command: TEST('secrets.test.ts'),
});

log('network guard ...');
const guard = await runGuard();
const table = unitGuardTable();
rows.push({
  promise: 'Network guard: private, loopback, link-local, unique-local targets refused unless allowed',
  tried: `${GUARD_CASES.length} targets in a whole run (spellings, names, redirects) + ${table} spellings request by request (test/fetch/guard.test.ts)`,
  result: `${guard.refused} of ${GUARD_CASES.length} refused in the run, nothing reached behind the guard; ${guard.allowedThrough} loopback targets let through once allowed`,
  bad: record(guard.cases),
  command: `${TEST('guard.test.ts')} test/fetch/guard.test.ts`,
});

log('hostile sites and specs ...');
const bounds = await runHostileBounds();
const boundsKinds = [...new Set(bounds.attacks.map((a) => a.attack))];
rows.push({
  promise:
    'Hostile bounds: metadata endpoints never reached, allow lists covering them refused, nothing written outside its folder, seeds and waits within their ceilings',
  tried: `${bounds.attacks.length} attacks of ${boundsKinds.length} kinds (${boundsKinds.join(', ')}) through the CLI; ${bounds.requests} requests reached the site`,
  result: `${bounds.attacks.filter((a) => a.held).length} of ${bounds.attacks.length} held`,
  bad: record(bounds.attacks),
  command: TEST('hostile-bounds.test.ts'),
});

log('hostile pages ...');
const pagesReport = await runHostilePages();
const pageKinds = [...new Set(pagesReport.attacks.map((a) => a.attack))];
rows.push({
  promise:
    'Hostile pages: a page nested 100,000 deep or crowded past maxItemsPerPage fails alone; endless next links and huge page counts stop at maxPages; 100,000 detail links fit a 256 MB heap',
  tried: `${pagesReport.attacks.length} attacks of ${pageKinds.length} kinds (${pageKinds.join(', ')}); ${pagesReport.requests} requests reached the site`,
  result: `${pagesReport.attacks.filter((a) => a.held).length} of ${pagesReport.attacks.length} held`,
  bad: record(pagesReport.attacks),
  command: TEST('hostile-pages.test.ts'),
});

log('validator fuzz ...');
const fuzz = runSpecFuzz({ seed: FUZZ_SEED, cases: Number(values['fuzz-cases']) });
const fuzzBad = fuzz.crashes + fuzz.unpositioned + fuzz.unloaded + fuzz.overBudget;
if (fuzzBad) problems.push(...fuzz.examples.map((e) => `fuzz: ${e.slice(0, 300)}`));
rows.push({
  promise: 'Spec validator fuzz: never throws, always answers with a position, YAML work linear in the text',
  tried: `${fuzz.cases} seeded mutations (seed ${fuzz.seed}) in ${seconds(fuzz.ms)}; ${fuzz.diagnostics} diagnostics`,
  result:
    `${fuzz.crashes} crashes, ${fuzz.unpositioned} unpositioned diagnostics, ${fuzz.unloaded} clean texts that did not load, ` +
    `${fuzz.overBudget} over the work budget (at most ${fuzz.maxAliasExpansions} alias expansions); slowest case ${fuzz.slowestMs.toFixed(0)} ms`,
  bad: fuzzBad,
  command: TEST('spec-fuzz.test.ts'),
});
const hostile = runHostileInputs();
const refusedAt = (at: (typeof HOSTILE)[number]['at']) => HOSTILE.filter((h) => h.at === at).length;
rows.push({
  promise: 'Hostile YAML (alias bombs, huge files, deep nesting) refused by its limit before the costly step',
  tried: `${HOSTILE.length} documents (${refusedAt('size')} refused on size, ${refusedAt('prescan')} by a prescan before composing, ${refusedAt('tree')} on the composed tree)`,
  result: `${held(hostile)} refused as promised; slowest ${Math.max(...hostile.map((h) => h.ms)).toFixed(0)} ms`,
  bad: record(hostile),
  command: TEST('spec-fuzz.test.ts'),
});

log('terraform ...');
const tf = await runTerraformChecks();
rows.push({
  promise: 'Generated IAM has no wildcard; the bucket is encrypted and not public',
  tried: `${tf.statements} policy statements (${tf.actions} actions, ${tf.resources} resources) from ${tf.collectors} collectors + the root module`,
  result: `${tf.cases.length - held(tf.cases)} of ${tf.cases.length} checks failed`,
  bad: record(tf.cases),
  command: TEST('terraform.test.ts'),
});

const cell = (s: string) => s.replaceAll('|', '\\|');
const lost = site.lost.length + crashLost + killLost + sum((r) => r.lost);
const duplicates = site.duplicates.length + crashDup + killDup + sum((r) => r.duplicated);
const out = [
  `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${process.platform}/${process.arch}; all scenarios in ${seconds(performance.now() - started)}.`,
  '',
  '| promise | tried | result | must be 0 | reproduce |',
  '| --- | --- | --- | --: | --- |',
  ...rows.map((r) => `| ${cell(r.promise)} | ${cell(r.tried)} | ${cell(r.result)} | ${r.bad} | \`${r.command}\` |`),
  '',
  `Totals: records lost ${lost}, duplicates ${duplicates}, fuzz crashes ${fuzz.crashes}, ` +
    `guard cases refused ${guard.refused} (run) + ${table} (requests), crash points ${crashPoints} (random) + ${kills.points.length} (chosen writes).`,
  '',
  'AWS scenarios, each a whole crawl compared with an undisturbed one:',
  '',
  '| scenario | records (expected) | lost | duplicated | run | manifest | deliveries | source requests | S3 PUTs |',
  '| --- | --: | --: | --: | --- | --- | --: | --: | --: |',
  ...aws.map(
    (r) =>
      `| ${cell(r.name)} | ${r.records} (${r.expected}) | ${r.lost} | ${r.duplicated} | ${r.before ? `${r.before.state} with ${r.before.failedTasks} failed task, then ` : ''}${r.state} | ${r.manifest ? 'yes' : 'no'} | ${r.deliveries} | ${r.sourceRequests} | ${r.puts} |`,
  ),
];
process.stdout.write(`${out.join('\n')}\n`);
if (problems.length) {
  process.stdout.write(`\nPromises not kept (${problems.length}):\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
  process.exitCode = 1;
}
