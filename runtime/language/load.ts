// The one way collector files come into the program: parse with positions,
// validate against the schema, lint, and report every problem as a Diagnostic.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Collector } from './generated/collector.types.ts';
import type { ResolvedCollector } from './generated/resolved.types.ts';
import { resolveCollector } from './resolve.ts';
import { formatText, hasErrors, type Diagnostic } from './diagnostic.ts';
import { displayPath, type Issue } from './issue.ts';
import { lintBestEffort, lintCollector, type LintContext } from './lint.ts';
import { validateSchema } from './schema-validate.ts';
import { MAX_FILE_BYTES } from './yaml-limits.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';

export interface LoadedCollector {
  /** Path of the file relative to the working directory. */
  file: string;
  /** The collector with every schema default applied: what runs read. */
  collector: ResolvedCollector;
  /** The collector as written (what positions, recordings and messages refer to). */
  written: Collector;
  /** sha256 (hex) of the file's text: identifies the exact spec a run used. */
  hash: string;
  /** Problems that do not stop the collector from running. */
  warnings: Diagnostic[];
}

/** A collector ready to run: resolved, with the hash of its source (what the Lambda bundle embeds). */
export type RunnableCollector = Pick<LoadedCollector, 'collector' | 'hash'>;

export interface LoadTextResult {
  /** Present when there is no error (warnings allowed), defaults applied. */
  collector?: ResolvedCollector;
  /** The same as written. */
  written?: Collector;
  diagnostics: Diagnostic[];
  hash: string;
}

/**
 * What the caller knows beyond the file: the deployment's facts (from
 * collect.config.yaml) turn on the checks that a collector uses only what the
 * deployed function has (lint/deployment-fit.ts).
 */
export type LoadContext = Omit<LintContext, 'file'>;

/** A collector file with errors; `message` lists them, one per line. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const files = [...new Set(diagnostics.map((d) => d.file))].join(', ');
    super(`${files}: ${errors} ${errors === 1 ? 'error' : 'errors'}\n${formatText(diagnostics).trimEnd()}`);
  }
}

export function loadCollectorText(text: string, file: string, context: LoadContext = {}): LoadTextResult {
  const { collector, written, diagnostics, hash } = analyse(text, file, context);
  return collector && written ? { collector, written, diagnostics, hash } : { diagnostics, hash };
}

/** Loads one file; throws SpecError when it has any error. `file` may be absolute or relative to `cwd`. */
export async function loadCollectorFile(file: string, cwd = process.cwd(), context: LoadContext = {}): Promise<LoadedCollector> {
  const shown = shownPath(resolve(cwd, file), cwd);
  const result = await analyseFile(resolve(cwd, file), shown, context);
  if (!result.collector || !result.written || hasErrors(result.diagnostics)) throw new SpecError(result.diagnostics);
  return { file: shown, collector: result.collector, written: result.written, hash: result.hash, warnings: result.diagnostics };
}

/**
 * Loads files and directories (a directory stands for its *.yaml and *.yml files,
 * sorted). Collectors with errors are left out of `loaded`; `diagnostics` has the
 * problems of every file, including two files that use the same `name`.
 */
export async function loadCollectors(paths: readonly string[], cwd: string, context: LoadContext = {}): Promise<LoadCollectorsResult> {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let info: Stats;
    try {
      info = await stat(abs);
    } catch (err) {
      diagnostics.push(fileDiagnostic(shownPath(abs, cwd), `cannot read: ${reason(err)}`));
      continue;
    }
    if (info.isDirectory()) {
      const entries = await readdir(abs, { withFileTypes: true });
      const yaml = entries.filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name)).map((e) => e.name);
      if (yaml.length === 0) diagnostics.push(fileDiagnostic(shownPath(abs, cwd), 'no .yaml or .yml files in this directory'));
      files.push(...yaml.sort().map((name) => join(abs, name)));
    } else {
      files.push(abs);
    }
  }

  const loaded: LoadedCollector[] = [];
  const owners = new Map<string, string>();
  const unique = [...new Set(files)];
  for (const abs of unique) {
    const shown = shownPath(abs, cwd);
    const result = await analyseFile(abs, shown, context);
    diagnostics.push(...result.diagnostics);
    let ok = result.collector !== undefined && !hasErrors(result.diagnostics);
    if (result.name !== undefined && result.source) {
      const first = owners.get(result.name);
      if (first === undefined) owners.set(result.name, shown);
      else {
        ok = false;
        diagnostics.push(
          toDiagnostic(
            { path: ['name'], message: `name "${result.name}" is also used by ${first}`, hint: 'collector names must be unique' },
            shown,
            result.source,
          ),
        );
      }
    }
    if (ok)
      loaded.push({ file: shown, collector: result.collector!, written: result.written!, hash: result.hash, warnings: result.diagnostics });
  }
  return { loaded, diagnostics, files: unique.map((abs) => shownPath(abs, cwd)) };
}

export interface LoadCollectorsResult {
  /** Collectors without errors, in the order of `files`. */
  loaded: LoadedCollector[];
  diagnostics: Diagnostic[];
  /** Every file that was checked, relative to the working directory. */
  files: string[];
}

interface Analysis extends LoadTextResult {
  /** The `name` as written, when it is a string, even in a file with errors. */
  name?: string;
  source?: YamlSource;
}

async function analyseFile(abs: string, shown: string, context: LoadContext): Promise<Analysis> {
  try {
    const info = await stat(abs);
    if (info.size > MAX_FILE_BYTES) {
      return { diagnostics: [fileDiagnostic(shown, `file is ${info.size} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`)], hash: '' };
    }
    return analyse(await readFile(abs, 'utf8'), shown, context);
  } catch (err) {
    return { diagnostics: [fileDiagnostic(shown, `cannot read: ${reason(err)}`)], hash: '' };
  }
}

function analyse(text: string, file: string, context: LoadContext): Analysis {
  const hash = createHash('sha256').update(text).digest('hex');
  try {
    const { value, source, problems } = parseYaml(text);
    const diagnostics: Diagnostic[] = problems.map((p) => ({
      file,
      line: p.line,
      column: p.column,
      path: '',
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
      severity: p.severity,
    }));
    if (problems.some((p) => p.severity === 'error')) return { diagnostics, hash, source };
    if (value === null || value === undefined) {
      diagnostics.push(fileDiagnostic(file, 'the file is empty', 'a collector needs name, start, extract and output'));
      return { diagnostics, hash, source };
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      diagnostics.push({
        ...fileDiagnostic(file, 'the top level must be a mapping of options', 'start with name:, start:, extract: and output:'),
        ...source.locate([]),
      });
      return { diagnostics, hash, source };
    }
    const rawName = (value as { name?: unknown }).name;
    const name = typeof rawName === 'string' ? rawName : undefined;
    const named = name === undefined ? {} : { name };
    const schemaIssues = validateSchema(value);
    diagnostics.push(...schemaIssues.map((i) => toDiagnostic(i, file, source)));
    if (schemaIssues.length > 0) {
      diagnostics.push(...lintBestEffort(value, { ...context, file }, schemaIssues).map((i) => toDiagnostic(i, file, source)));
      return { diagnostics, hash, source, ...named };
    }
    const written = value as Collector;
    diagnostics.push(...lintCollector(written, { ...context, file }).map((i) => toDiagnostic(i, file, source)));
    return hasErrors(diagnostics)
      ? { diagnostics, hash, source, ...named }
      : { collector: resolveCollector(written), written, diagnostics, hash, source, ...named };
  } catch (err) {
    // A bug in a check must not hide the file's other problems or crash `validate`.
    return { diagnostics: [fileDiagnostic(file, `internal error while checking this file: ${reason(err)}`)], hash };
  }
}

function toDiagnostic(issue: Issue, file: string, source: YamlSource): Diagnostic {
  const { line, column } = source.locate(issue.path, issue.at ?? 'value', issue.needle);
  return {
    file,
    line,
    column,
    path: displayPath(issue.path),
    message: issue.message,
    ...(issue.hint ? { hint: issue.hint } : {}),
    severity: issue.severity ?? 'error',
  };
}

function fileDiagnostic(file: string, message: string, hint?: string): Diagnostic {
  return { file, line: 1, column: 1, path: '', message, ...(hint ? { hint } : {}), severity: 'error' };
}

function shownPath(abs: string, cwd: string): string {
  return relative(cwd, abs).split(sep).join('/') || '.';
}

function reason(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT') return 'no such file or directory';
  return err instanceof Error ? err.message : String(err);
}
