// Every command the README and the docs show, run the way a new user runs it:
// in a fresh copy of the repository (the files git knows), after a real
// `npm ci`, as `npx collect ...` (and a few as `npm run collect -- ...` and
// from a subfolder). A command that works when the TypeScript is imported but
// crashes as installed (a missing file in the bundle, a path resolved from the
// wrong folder) fails here.
//
// The commands are read from the pages themselves: the `npx collect` lines of
// README.md's "Your first collector", the "Example:" lines of every command in
// docs/commands.md, and the `npx collect` lines of "In CI" in docs/aws.md.
// Only what cannot work offline is substituted (the docs -> run as):
//
// - https://books.toscrape.com, http://127.0.0.1:8080 in an argument of try, run or record
//   -> the local books site (demo/sites/books-site.ts), plus --allow-private-network
// - https://api.github.com in an argument of try, run or record
//   -> the local GitHub API site (demo/sites/github-site.ts), plus --allow-private-network
// - try, run, record (not from a --har) that name no such host, of a collector whose variable (base_url, api_url) does
//   -> + `--var NAME=<local site> --allow-private-network`
// - the walk-through's YAML edit (the `extract:` snippet)
//   -> merged into the file `collect new` wrote, with the `yaml` package
// - `--bucket NAME`, `--out s3://NAME`
//   -> one bucket made on moto for this file (the `run --out s3://` example fills it)
// - `>> "$GITHUB_STEP_SUMMARY"` -> stdout appended to a temp file
// - `collectors/*.yaml` -> expanded as the shell would (sorted)
// - `out/.../_manifest.json` -> the newest manifest of that collector that an earlier `run` wrote under out/
// | AWS                                            | moto: AWS_ENDPOINT_URL and test credentials (not for `deploy`, see ALLOWED_EXITS) |
// | a deployment (status, retry)                   | the run ledger table of every environment of collect.config.yaml, made on moto as the Terraform makes it (no runs in it) |
//
// `collect new` (which never overwrites) appears twice (walk-through and Command
// line) and commands that change the copy need an order that works, so:
// 1. the walk-through, in README order; then its collectors/books.* are removed
//    ("Removing a collector" in docs/aws.md, step 2);
// 2. the Command line examples in docs/commands.md order, except `collect new`;
// 3. the In CI block;
// 4. the `collect new` examples (they add collectors without recordings, which
//    `collect test --require-recordings` and `generate --check` would refuse).
//
// The sites run in a child process: spawnSync blocks this process's event loop,
// so a site served from here could not answer the CLI it waits for.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseDocument } from 'yaml';
import { commandEntries } from '../../runtime/tools/cli/registry.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_CONFIG_FILE, loadProjectEnvironments } from '../../deploy/config/project-config.ts';
import { awsNames } from '../../runtime/language/deployment-names.ts';
import { createBucket, createLedgerTable, motoClients, MOTO_REGION, startMoto } from '../helpers/moto.ts';

// ---------------------------------------------------------------------------
// What the docs promise about exit statuses other than 0
// ---------------------------------------------------------------------------

interface AllowedExit {
  /** Matches the documented line. */
  line: RegExp;
  exit: number;
  /** What the output must then say. */
  output: RegExp;
  /** The sentence of docs/commands.md that promises it (white space normalised; checked to still be there). */
  promise: string;
}

const ALLOWED_EXITS: AllowedExit[] = [
  {
    // deploy runs with no AWS credentials in its environment.
    line: /^(npm run deploy|(npx )?collect deploy\b)/,
    exit: 1,
    output: /No AWS credentials found|terraform was not found on PATH/,
    promise:
      'Needs terraform (1.10 or later) on PATH and AWS credentials (AWS_PROFILE, access keys, or a CI role); without them it stops before doing anything.',
  },
  {
    // The deployment's ledger exists (createDeployedLedgers) but holds no runs: a run asked for by id or "latest" is not found.
    line: /^(npx )?collect status \S+ (latest|\d{8}T\d{6}Z)\b/,
    exit: 1,
    output: /no run .*of \S+ in collect-\w+'s ledger/,
    promise: 'Exit status: 0 when the run succeeded or is still running; 1 when it failed, stalled or is not found',
  },
  {
    line: /^(npx )?collect retry /,
    exit: 1,
    output: /no run \d{8}T\d{6}Z of \S+ in collect-\w+'s ledger/,
    promise: 'Exit status: 0 when failed tasks were sent again (or there were none); 1 when the run is not found',
  },
];
// Not here: `collect run collectors/books-toscrape.yaml --limit 100` exits 0. Its
// expect block wants 1,000 records, but minRecords is "Fewest records a full run
// must write" (docs/reference.md), and a run cut short by --limit or --max-pages is
// not a full one, so only the fill rates and types are checked.

const CRASH = /ENOENT|Cannot find module|ERR_MODULE_NOT_FOUND|TypeError|ReferenceError/;

interface Variant {
  launcher: 'npx' | 'npm';
  where: 'root' | 'collectors';
}

/**
 * Documented lines also run as `npm run collect --` and from the collectors/ subfolder
 * ("Every command works from any folder of the project, through `npx collect` or `npm run collect --`").
 */
const VARIANTS: { line: string; variants: Variant[] }[] = [
  {
    line: 'collect validate',
    variants: [
      { launcher: 'npm', where: 'root' },
      { launcher: 'npx', where: 'collectors' },
    ],
  },
  {
    line: 'collect try collectors/books-toscrape.yaml --har collectors/books-toscrape.har',
    variants: [
      { launcher: 'npx', where: 'collectors' },
      { launcher: 'npm', where: 'collectors' },
    ],
  },
  {
    line: 'collect run collectors/books-toscrape.yaml --limit 100 --var base_url=http://127.0.0.1:8080',
    variants: [{ launcher: 'npx', where: 'collectors' }],
  },
  { line: 'collect test', variants: [{ launcher: 'npx', where: 'collectors' }] },
  { line: 'collect explain collectors/books-toscrape.yaml', variants: [{ launcher: 'npm', where: 'root' }] },
  { line: 'collect cost collectors/books-toscrape.yaml', variants: [{ launcher: 'npm', where: 'collectors' }] },
  { line: 'collect generate --check', variants: [{ launcher: 'npx', where: 'collectors' }] },
];

// ---------------------------------------------------------------------------
// Reading the commands from README.md, docs/commands.md and docs/aws.md
// ---------------------------------------------------------------------------

const REPO = fileURLToPath(new URL('../../', import.meta.url));
interface Page {
  file: string;
  text: string;
}
const page = (file: string): Page => ({ file, text: readFileSync(join(REPO, file), 'utf8') });
const README = page('README.md');
const COMMANDS = page('docs/commands.md');
const AWS = page('docs/aws.md');

type Section = 'Your first collector' | 'Command line' | 'In CI';
const SOURCE: Record<Section, Page> = { 'Your first collector': README, 'Command line': COMMANDS, 'In CI': AWS };

interface ReadmeCommand {
  section: Section;
  /** The line as the page shows it, without its comment. */
  line: string;
  /** npx collect ARGS, or npm run SCRIPT. */
  kind: 'collect' | 'npm-script';
  /** The words after `collect` (or the script name and its words), quotes removed. */
  words: string[];
}

type Step =
  | { type: 'command'; command: ReadmeCommand; variant?: Variant }
  | { type: 'edit'; snippet: string }
  | { type: 'remove-walk-through-collector' };

/** The text under a heading, up to the next heading of the same or a higher level (a `#` inside a code block is no heading). */
function sectionText(doc: Page, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const lines = doc.text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`${doc.file} has no section "${heading}"`);
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    if (lines[end]!.startsWith('```')) fenced = !fenced;
    else if (!fenced && new RegExp(`^#{1,${level}} `).test(lines[end]!)) break;
  }
  return lines.slice(start + 1, end).join('\n');
}

function codeBlocks(text: string): { lang: string; body: string }[] {
  return [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Splits a shell line into words: quotes removed, a trailing `# comment` dropped. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.replace(/\s+#.*$/, '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

function readmeCommand(section: Section, raw: string): ReadmeCommand {
  const line = raw.replace(/\s+#.*$/, '').trim();
  const words = shellWords(line);
  if (words[0] === 'npx' && words[1] === 'collect') return { section, line, kind: 'collect', words: words.slice(2) };
  if (words[0] === 'collect') return { section, line, kind: 'collect', words: words.slice(1) };
  if (words[0] === 'npm' && words[1] === 'run') return { section, line, kind: 'npm-script', words: words.slice(2) };
  throw new Error(`${SOURCE[section].file}: cannot run "${line}"`);
}

function walkThroughSteps(): Step[] {
  const steps: Step[] = [];
  for (const block of codeBlocks(sectionText(README, '## Your first collector'))) {
    if (block.lang === 'sh') {
      for (const l of block.body.split('\n'))
        if (/^npx collect /.test(l)) steps.push({ type: 'command', command: readmeCommand('Your first collector', l) });
    } else if (block.lang === 'yaml' && (parseYaml(block.body) as { extract?: unknown } | null)?.extract) {
      steps.push({ type: 'edit', snippet: block.body });
    }
  }
  return steps;
}

function commandLineExamples(): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (const part of COMMANDS.text.split(/\n## `collect [a-z]+`\n/).slice(1)) {
    const usage = codeBlocks(part)[0]?.body ?? '';
    const example = usage.split(/^Example:\n/m)[1] ?? '';
    for (const l of example.split('\n')) if (l.trim()) commands.push(readmeCommand('Command line', l.trim()));
  }
  return commands;
}

function inCiCommands(): ReadmeCommand[] {
  const block = codeBlocks(sectionText(AWS, '### In CI'))[0]?.body ?? '';
  return [...block.matchAll(/^\s*- run: (npx collect .*)$/gm)].map((m) => readmeCommand('In CI', m[1]!));
}

const isNew = (c: ReadmeCommand) => c.kind === 'collect' && c.words[0] === 'new';

function withVariants(commands: ReadmeCommand[]): Step[] {
  return commands.flatMap((command) => [
    { type: 'command' as const, command },
    ...(VARIANTS.find((v) => v.line === command.line)?.variants ?? []).map((variant) => ({ type: 'command' as const, command, variant })),
  ]);
}

const walkThrough = walkThroughSteps();
const commandLine = commandLineExamples();
const inCi = inCiCommands();
const PLAN: { section: string; steps: Step[] }[] = [
  { section: 'Your first collector', steps: [...walkThrough, { type: 'remove-walk-through-collector' }] },
  { section: 'Command line (docs/commands.md order; collect new comes last)', steps: withVariants(commandLine.filter((c) => !isNew(c))) },
  { section: 'In CI', steps: withVariants(inCi) },
  { section: 'Command line: collect new', steps: withVariants(commandLine.filter(isNew)) },
];

// ---------------------------------------------------------------------------
// The installed copy, the local sites, moto
// ---------------------------------------------------------------------------

interface Sites {
  books: string;
  github: string;
  process: ChildProcess;
}

interface World {
  copy: string;
  scratch: string;
  sites: Sites;
  moto: string;
  bucket: string;
  npmCache: string;
  stepSummary: string;
  /** The file `collect new` wrote in the walk-through, relative to the copy. */
  walkThroughFile?: string;
}

let world: World;
/** Undo what the setup made, in reverse order (the setup may stop half way). */
const cleanups: (() => void | Promise<void>)[] = [];
/** Every command run: its documented line, what ran, its exit. */
const ran: { section: string; name: string; shown: string; exit: number | null }[] = [];

function copyRepository(to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(REPO, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the working tree, or a submodule
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
}

function npmCache(): string {
  if (process.env.npm_config_cache) return process.env.npm_config_cache;
  return spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
}

/** PATH, HOME and the npm cache; no AWS identity of this machine (its profile files point nowhere). */
function baseEnv(w: Pick<World, 'npmCache' | 'scratch' | 'moto'>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    npm_config_cache: w.npmCache,
    MOTO_ENDPOINT: w.moto,
    AWS_CONFIG_FILE: join(w.scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(w.scratch, 'no-aws-credentials'),
  };
}

function awsEnv(w: World): NodeJS.ProcessEnv {
  return { ...baseEnv(w), AWS_ENDPOINT_URL: w.moto, AWS_REGION: MOTO_REGION, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
}

function npmCi(copy: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: copy,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 550_000,
  });
  if (result.status !== 0)
    throw new Error(
      `npm ci failed in ${copy} (exit ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${result.stdout}\n${result.stderr}`,
    );
}

/** The demo's books and GitHub sites in a child process; it prints their URLs and ends when its stdin closes. */
async function startSites(): Promise<Sites> {
  const url = (file: string) => pathToFileURL(join(REPO, file)).href;
  const code = `
    const { startBooksSite } = await import(${JSON.stringify(url('demo/sites/books-site.ts'))});
    const { startGithubSite } = await import(${JSON.stringify(url('demo/sites/github-site.ts'))});
    const books = await startBooksSite();
    const github = await startGithubSite();
    process.stdout.write(JSON.stringify({ books: books.url, github: github.url }) + '\\n');
    process.stdin.on('end', () => process.exit(0)).resume();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sites process exited (${code}) before serving`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { books, github } = JSON.parse(firstLine) as { books: string; github: string };
  return { books, github, process: child };
}

function stopSites(sites: Sites): Promise<void> {
  if (sites.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    sites.process.once('exit', () => resolve());
    sites.process.stdin!.end();
  });
}

/** `npx collect` in the project links it into the npm cache's _npx folder; drop the links to this copy. */
function removeNpxEntries(cache: string, copy: string): void {
  const npx = join(cache, '_npx');
  if (!existsSync(npx)) return;
  for (const entry of readdirSync(npx)) {
    const manifest = join(npx, entry, 'package.json');
    if (!existsSync(manifest)) continue;
    const packages = (JSON.parse(readFileSync(manifest, 'utf8')) as { _npx?: { packages?: string[] } })._npx?.packages ?? [];
    if (packages.includes(copy)) rmSync(join(npx, entry), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// From a documented line to a process
// ---------------------------------------------------------------------------

/** Internet hosts the docs name, and the local site that stands in for each. */
function localSites(w: World): Record<string, string> {
  return { 'https://books.toscrape.com': w.sites.books, 'http://127.0.0.1:8080': w.sites.books, 'https://api.github.com': w.sites.github };
}

const FETCHING = new Set(['try', 'run', 'record']);

interface Invocation {
  program: 'npx' | 'npm';
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `>> FILE`: stdout appended there. */
  appendTo?: string;
}

function option(words: string[], name: string): string | undefined {
  const i = words.indexOf(name);
  return i >= 0 ? words[i + 1] : words.find((w) => w.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** `$NAME` and `>> FILE`, as the shell does them. */
function shellRedirects(words: string[], w: World): { words: string[]; appendTo?: string } {
  const vars: Record<string, string> = { GITHUB_STEP_SUMMARY: w.stepSummary };
  const expanded = words.map((word) => word.replace(/^\$(\w+)$/, (_, name: string) => vars[name] ?? `$${name}`));
  const i = expanded.indexOf('>>');
  return i < 0 ? { words: expanded } : { words: [...expanded.slice(0, i), ...expanded.slice(i + 2)], appendTo: expanded[i + 1]! };
}

/** `collectors/*.yaml` as the shell expands it (relative to the project root). */
function expandGlobs(words: string[], root: string): string[] {
  return words.flatMap((word) => {
    if (!word.includes('*')) return [word];
    const dir = dirname(word);
    const pattern = new RegExp(
      `^${word
        .slice(dir.length + 1)
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    const found = readdirSync(join(root, dir))
      .filter((f) => pattern.test(f))
      .sort();
    return found.length ? found.map((f) => `${dir}/${f}`) : [word];
  });
}

function substituteBucket(words: string[], bucket: string): string[] {
  return words.map((word, i) => (words[i - 1] === '--bucket' ? bucket : word.replace(/^s3:\/\/[a-z0-9.-]+/, `s3://${bucket}`)));
}

/** `out/.../_manifest.json`: the newest manifest of that collector under out/. */
function substituteManifest(words: string[], root: string): string[] {
  return words.map((word) => {
    if (!word.includes('/.../')) return word;
    const collector = words.find((x) => /\.ya?ml$/.test(x))?.replace(/^.*\/|\.ya?ml$/g, '');
    const manifests = filesUnder(join(root, 'out')).filter((f) => f.endsWith('/_manifest.json') && f.includes(`/${collector}/`));
    const newest = manifests.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).at(-1);
    if (!newest) throw new Error(`${word}: no manifest of ${collector} under out/ yet (an earlier run writes one)`);
    return relative(root, newest);
  });
}

/** try, run and record against the local sites: the hosts in the arguments or, when they name none, the collector's host variables. */
function substituteSites(words: string[], w: World): string[] {
  if (!FETCHING.has(words[0]!) || option(words, '--har')) return words;
  const sites = localSites(w);
  let local = false;
  const out = words.map((word) => {
    let replaced = word;
    for (const [host, site] of Object.entries(sites)) replaced = replaced.replaceAll(host, site);
    if (replaced !== word) local = true;
    return replaced;
  });
  const file = words.slice(1).find((x) => /\.ya?ml$/.test(x));
  const variables = file
    ? ((parseYaml(readFileSync(join(w.copy, file), 'utf8')) as { variables?: Record<string, unknown> }).variables ?? {})
    : {};
  const given = new Set(out.flatMap((x, i) => (out[i - 1] === '--var' ? [x.split('=')[0]] : [])));
  for (const [name, value] of Object.entries(variables)) {
    const site = typeof value === 'string' ? sites[value] : undefined;
    if (site && !given.has(name) && !local) {
      out.push('--var', `${name}=${site}`);
      local = true;
    }
  }
  if (local && !out.includes('--allow-private-network')) out.push('--allow-private-network');
  return out;
}

/** From the collectors/ subfolder, the paths the user types start with ../ */
function fromSubfolder(words: string[]): string[] {
  return words.map((word) => (/^(collectors|out)\//.test(word) ? `../${word}` : word));
}

function invocation(step: Extract<Step, { type: 'command' }>, w: World): Invocation {
  const { command, variant } = step;
  // `npm run deploy` and `collect deploy` alike: no AWS credentials (see ALLOWED_EXITS).
  const env = command.words[0] === 'deploy' ? baseEnv(w) : awsEnv(w);
  if (command.kind === 'npm-script') return { program: 'npm', args: ['run', ...command.words], cwd: w.copy, env };
  const shell = shellRedirects(command.words, w);
  let words = expandGlobs(shell.words, w.copy);
  words = substituteBucket(words, w.bucket);
  words = substituteManifest(words, w.copy);
  words = substituteSites(words, w);
  const inSubfolder = variant?.where === 'collectors';
  if (inSubfolder) words = fromSubfolder(words);
  const launcher = variant?.launcher ?? 'npx';
  return {
    program: launcher,
    args: launcher === 'npx' ? ['collect', ...words] : ['run', 'collect', '--', ...words],
    cwd: inSubfolder ? join(w.copy, 'collectors') : w.copy,
    env,
    ...(shell.appendTo ? { appendTo: shell.appendTo } : {}),
  };
}

function stepName(step: Extract<Step, { type: 'command' }>): string {
  const { command, variant } = step;
  if (!variant) return command.kind === 'collect' && !command.line.startsWith('npx ') ? `npx ${command.line}` : command.line;
  const body = command.line.replace(/^(npx )?collect /, '');
  const args = variant.where === 'collectors' ? fromSubfolder(shellWords(body)).join(' ') : body;
  return `${variant.where === 'collectors' ? '(in collectors/) ' : ''}${variant.launcher === 'npx' ? 'npx collect' : 'npm run collect --'} ${args}`;
}

/** The command as it ran, with the temp paths, site ports and bucket name as placeholders. */
function shown(inv: Invocation, w: World): string {
  let text = [inv.program, ...inv.args].join(' ') + (inv.appendTo ? ` >> ${inv.appendTo}` : '');
  const names: [string, string][] = [
    [w.sites.books, '<books-site>'],
    [w.sites.github, '<github-site>'],
    [w.bucket, '<bucket>'],
    [w.stepSummary, '<step-summary>'],
    [w.copy, '<copy>'],
  ];
  for (const [value, name] of names) text = text.replaceAll(value, name);
  return (inv.cwd === w.copy ? '' : `(in ${relative(w.copy, inv.cwd)}/) `) + text;
}

interface Outcome {
  exit: number | null;
  output: string;
  stdout: string;
}

function execute(inv: Invocation): Outcome {
  const result = spawnSync(inv.program, inv.args, { cwd: inv.cwd, env: inv.env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 280_000 });
  if (inv.appendTo) appendFileSync(inv.appendTo, result.stdout);
  const error = result.error ? `\n[spawn: ${result.error.message}]` : '';
  return { exit: result.status, stdout: result.stdout, output: `${result.stdout}\n${result.stderr}${error}` };
}

function allowedExit(command: ReadmeCommand): AllowedExit | undefined {
  return ALLOWED_EXITS.find((a) => a.line.test(command.line));
}

function checkOutcome(step: Extract<Step, { type: 'command' }>, inv: Invocation, outcome: Outcome, w: World): void {
  const context = `${shown(inv, w)}\nexit ${outcome.exit}\n${outcome.output}`;
  expect(outcome.output, `crash in the output of: ${context}`).not.toMatch(CRASH);
  const allowed = allowedExit(step.command);
  expect(outcome.exit, context).toBe(allowed?.exit ?? 0);
  if (allowed) expect(outcome.output, context).toMatch(allowed.output);
  if (inv.cwd !== w.copy)
    expect(existsSync(join(inv.cwd, 'out')), `${context}\nwrote out/ in the subfolder instead of the project root`).toBe(false);
}

// ---------------------------------------------------------------------------
// The steps that are not commands
// ---------------------------------------------------------------------------

/** Sets every leaf of the walk-through's snippet in the file, keeping the rest and its comments, as a user editing it would. */
function mergeYaml(file: string, snippet: string): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const visit = (value: unknown, path: string[]): void => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    else doc.setIn(path, value);
  };
  visit(parseYaml(snippet), []);
  writeFileSync(file, doc.toString());
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The numbered list of commands run, with their exit codes and (when it differs) how each ran. */
function report(): string {
  const lines = ran.map((r, i) => {
    const header = r.section === ran[i - 1]?.section ? '' : `${r.section}:\n`;
    const detail = r.shown === r.name ? '' : `\n       ran as: ${r.shown}`;
    return `${header}${String(i + 1).padStart(3)}. ${r.name}  -> exit ${r.exit}${detail}`;
  });
  return `Documented commands run as installed (${ran.length}):\n${lines.join('\n')}`;
}

function runCommandStep(step: Extract<Step, { type: 'command' }>): void {
  const inv = invocation(step, world);
  const outcome = execute(inv);
  ran.push({ section: step.command.section, name: stepName(step), shown: shown(inv, world), exit: outcome.exit });
  if (step.command.section === 'Your first collector' && isNew(step.command)) {
    world.walkThroughFile = /^wrote (\S+)/m.exec(outcome.stdout)?.[1];
  }
  checkOutcome(step, inv, outcome, world);
}

function editStep(snippet: string): void {
  const file = world.walkThroughFile;
  expect(file, 'collect new said which file it wrote').toBeDefined();
  mergeYaml(join(world.copy, file!), snippet);
  const merged = parseYaml(readFileSync(join(world.copy, file!), 'utf8')) as {
    extract: { items: string; fields: { title: Record<string, unknown> } };
  };
  expect(merged.extract.items).toBe('article.product_pod');
  expect(merged.extract.fields.title).toMatchObject({ selector: 'h3 a', attr: 'title' });
}

function removeWalkThroughCollector(): void {
  const file = world.walkThroughFile;
  expect(file, 'collect new said which file it wrote').toBeDefined();
  const base = join(world.copy, file!).replace(/\.ya?ml$/, '');
  for (const ext of ['.yaml', '.har', '.expected.jsonl']) rmSync(base + ext, { force: true });
}

/** What `collect deploy` would have made for `status` and `retry` to read: each environment's (empty) run ledger. */
async function createDeployedLedgers(dynamodb: DynamoDBClient): Promise<void> {
  const environments = await loadProjectEnvironments(join(REPO, DEFAULT_CONFIG_FILE));
  for (const settings of Object.values(environments)) {
    const name = `${settings.functionName}-${awsNames.ledgerTable}`;
    // moto may be shared with an earlier run of this file, which made it already.
    await createLedgerTable(dynamodb, { name }).catch((err: Error) => {
      if (err.name !== 'ResourceInUseException') throw err;
    });
  }
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

describe('README and docs commands, as installed (fresh copy, npm ci, npx collect)', () => {
  beforeAll(async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'collect-installed-'));
    const cache = npmCache();
    const copy = join(scratch, 'project');
    cleanups.push(() => {
      removeNpxEntries(cache, copy);
      if (!process.env.KEEP_INSTALLED_COPY) rmSync(scratch, { recursive: true, force: true });
    });
    mkdirSync(copy);
    copyRepository(copy);
    const moto = await startMoto();
    cleanups.push(() => moto.stop());
    const partial = { scratch, npmCache: cache, moto: moto.endpoint };
    npmCi(copy, baseEnv(partial));
    const sites = await startSites();
    cleanups.push(() => stopSites(sites));
    const aws = motoClients(moto.endpoint);
    const bucket = await createBucket(aws.s3, 'collect-installed');
    await createDeployedLedgers(aws.dynamodb);
    world = { ...partial, copy, sites, bucket, stepSummary: join(scratch, 'step-summary.md') };
  });

  afterAll(async () => {
    console.log(report());
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('finds the commands in README.md, docs/commands.md and docs/aws.md, and the sentences that promise each exit other than 0', () => {
    expect(walkThrough.filter((s) => s.type === 'command').length).toBeGreaterThanOrEqual(9);
    expect(walkThrough.filter((s) => s.type === 'edit')).toHaveLength(1);
    expect(new Set(commandLine.map((c) => c.words[0])), 'every command shows an example').toEqual(
      new Set(commandEntries.map((e) => e.name)),
    );
    expect(inCi.length).toBeGreaterThanOrEqual(4);
    const flat = COMMANDS.text.replace(/\s+/g, ' ');
    for (const a of ALLOWED_EXITS) expect(flat, `${COMMANDS.file} still promises it`).toContain(a.promise);
    const lines = new Set([...commandLine, ...inCi].map((c) => c.line));
    for (const v of VARIANTS) expect(lines.has(v.line), `${COMMANDS.file} or ${AWS.file} shows "${v.line}"`).toBe(true);
  });

  for (const { section, steps } of PLAN) {
    describe(section, () => {
      for (const step of steps) {
        if (step.type === 'command') it(stepName(step), () => runCommandStep(step));
        else if (step.type === 'edit')
          it("edit the file collect new wrote: merge the walk-through's extract: snippet", () => editStep(step.snippet));
        else
          it('remove the walk-through\'s collector (collectors/books.yaml, .har, .expected.jsonl), as "Removing a collector" says', () =>
            removeWalkThroughCollector());
      }
    });
  }

  it('appended the explain markdown to the step summary', () => {
    expect(readFileSync(world.stepSummary, 'utf8')).toMatch(/books-toscrape/);
  });
});
