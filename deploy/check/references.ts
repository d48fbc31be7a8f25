// The other half of `terraform validate`: every `var.`, `local.`, `module.`,
// `data.` and resource reference names something the module declares (and an
// attribute the provider schema has), every declared variable is used, and every
// module call passes exactly the variables its (local) module declares.
import type { HclBody, HclFile } from './parse.ts';
import type { ProviderSchema, SchemaBlock } from './provider-schema.ts';

export interface ReferenceProblem {
  file: string;
  message: string;
}

/** A module as files by name; `children` resolves a module call's `source` to its files. */
export interface ModuleSources {
  files: Map<string, HclFile>;
  children?: Map<string, Map<string, HclFile>>;
}

const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);
const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const INDEX = '(?:\\[[^\\]]*\\])?';
const PATTERNS = {
  variable: new RegExp(`(?<![\\w.])var\\.(${NAME})`, 'g'),
  local: new RegExp(`(?<![\\w.])local\\.(${NAME})`, 'g'),
  module: new RegExp(`(?<![\\w.])module\\.(${NAME})${INDEX}\\.(${NAME})`, 'g'),
  data: new RegExp(`(?<![\\w.])data\\.([a-z][a-z0-9_]*)\\.(${NAME})${INDEX}(?:\\.([a-z_][a-z0-9_]*))?`, 'g'),
  resource: new RegExp(`(?<![\\w.])(aws_[a-z0-9_]+|archive_[a-z0-9_]+)\\.(${NAME})${INDEX}(?:\\.([a-z_][a-z0-9_]*))?`, 'g'),
};

/**
 * `unusedVariables` reports variables nothing reads (on by default); a generated
 * module legitimately leaves some unread, e.g. the scheduler's when no collector
 * has a schedule.
 */
export function checkReferences(
  module: ModuleSources,
  schema?: ProviderSchema,
  options: { unusedVariables?: boolean } = {},
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const declared = declarations(module.files);
  const usedVariables = new Set<string>();

  for (const [file, parsed] of module.files) {
    const report = (message: string): void => {
      problems.push({ file, message });
    };
    for (const expression of expressions(parsed)) {
      for (const m of expression.matchAll(PATTERNS.variable)) {
        usedVariables.add(m[1]!);
        if (!declared.variables.has(m[1]!)) report(`var.${m[1]} is not declared`);
      }
      for (const m of expression.matchAll(PATTERNS.local)) {
        if (!declared.locals.has(m[1]!)) report(`local.${m[1]} is not declared`);
      }
      for (const m of expression.matchAll(PATTERNS.module)) {
        const source = declared.modules.get(m[1]!);
        if (source === undefined) report(`module.${m[1]} is not declared`);
        else {
          const child = module.children?.get(source);
          if (child && !declarations(child).outputs.has(m[2]!)) report(`module.${m[1]}.${m[2]}: the module has no output "${m[2]}"`);
        }
      }
      for (const m of expression.matchAll(PATTERNS.data)) {
        const [, type, name, attribute] = m;
        if (!declared.data.has(`${type}.${name}`)) report(`data.${type}.${name} is not declared`);
        else if (attribute && schema) checkAttribute(schema.dataSource(type!), `data.${type}.${name}`, attribute, report);
      }
      for (const m of expression.matchAll(PATTERNS.resource)) {
        const [, type, name, attribute] = m;
        if (!declared.resources.has(`${type}.${name}`)) report(`${type}.${name} is not declared`);
        else if (attribute && schema) checkAttribute(schema.resource(type!), `${type}.${name}`, attribute, report);
      }
    }
    for (const [name, bodies] of Object.entries(parsed.module ?? {})) {
      for (const body of bodies) checkModuleCall(name, body, module.children, report);
    }
  }

  for (const [name, file] of declared.variables) {
    if (options.unusedVariables !== false && !usedVariables.has(name))
      problems.push({ file, message: `variable "${name}" is declared but never used` });
  }
  return problems;
}

function checkAttribute(block: SchemaBlock | undefined, address: string, attribute: string, report: (m: string) => void): void {
  if (!block) return; // An unknown type is the provider schema check's to report.
  if (attribute in (block.attributes ?? {}) || attribute in (block.block_types ?? {})) return;
  report(`${address}.${attribute}: the type has no attribute "${attribute}"`);
}

function checkModuleCall(name: string, body: HclBody, children: ModuleSources['children'], report: (m: string) => void): void {
  const source = typeof body.source === 'string' ? body.source : undefined;
  const child = source ? children?.get(source) : undefined;
  if (!child) return;
  const variables = new Map<string, HclBody>();
  for (const parsed of child.values()) {
    for (const [v, bodies] of Object.entries(parsed.variable ?? {})) variables.set(v, bodies[0] ?? {});
  }
  for (const argument of Object.keys(body)) {
    if (!MODULE_META.has(argument) && !variables.has(argument))
      report(`module "${name}": argument "${argument}" is not a variable of ${source}`);
  }
  for (const [v, spec] of variables) {
    if (!('default' in spec) && !(v in body)) report(`module "${name}": required variable "${v}" of ${source} is not set`);
  }
}

interface Declarations {
  /** Variable name -> file that declares it. */
  variables: Map<string, string>;
  locals: Set<string>;
  /** Module name -> source. */
  modules: Map<string, string>;
  data: Set<string>;
  resources: Set<string>;
  outputs: Set<string>;
}

function declarations(files: Map<string, HclFile>): Declarations {
  const d: Declarations = {
    variables: new Map(),
    locals: new Set(),
    modules: new Map(),
    data: new Set(),
    resources: new Set(),
    outputs: new Set(),
  };
  for (const [file, parsed] of files) {
    for (const name of Object.keys(parsed.variable ?? {})) d.variables.set(name, file);
    for (const body of parsed.locals ?? []) for (const name of Object.keys(body)) d.locals.add(name);
    for (const [name, bodies] of Object.entries(parsed.module ?? {})) d.modules.set(name, String(bodies[0]?.source ?? ''));
    for (const [type, byName] of Object.entries(parsed.data ?? {})) for (const name of Object.keys(byName)) d.data.add(`${type}.${name}`);
    for (const [type, byName] of Object.entries(parsed.resource ?? {}))
      for (const name of Object.keys(byName)) d.resources.add(`${type}.${name}`);
    for (const name of Object.keys(parsed.output ?? {})) d.outputs.add(name);
  }
  return d;
}

/** The text inside every `${ ... }` interpolation of every string in the file. */
function expressions(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(...interpolations(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

function interpolations(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i] !== '$' || text[i + 1] !== '{') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    found.push(text.slice(i + 2, j));
    i = j;
  }
  return found;
}
