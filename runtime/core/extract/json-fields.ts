// Field readers over parsed JSON: each field's JMESPath is evaluated against its item. The rows
// of a CSV page are read here too, as objects by column name (`mode: 'csv'`).

import { load } from 'cheerio/slim';
import { cellsOf } from './csv.ts';
import { ExtractConfigError, fieldLabel, NestingTooDeepError } from './errors.ts';
import type { FieldSpec } from './field-spec.ts';
import type { FieldCompilers } from './compilers.ts';
import { asList, type JsonQuery, queryFor } from './jmespath.ts';
import { compileDataReader } from './json-value.ts';
import { MAX_NESTING_DEPTH, parseHtmlWithin } from './nesting.ts';
import { buildObject, type Env, type FieldReader } from './record.ts';
import type { DataRecord, RecordValue } from './types.ts';
import { compileFinish, type Source } from './value.ts';

export type JsonReader = FieldReader<unknown>;

/** `csv`: the items are CSV rows; a string field and `column` name a column, values are text. */
export function compileJsonFields(specs: readonly FieldSpec[], mode: 'json' | 'csv', c: FieldCompilers): JsonReader[] {
  return specs.map((spec) => compileJsonField(spec, mode, c));
}

/** The page's data, for `from: page`: the JSON document, the CSV rows, or the `embedded` data. */
function pageData(env: Env): unknown {
  return env.page.kind === 'json' ? env.page.data : null;
}

function compileJsonField(spec: FieldSpec, mode: 'json' | 'csv', c: FieldCompilers): JsonReader {
  const label = fieldLabel(spec.path);
  if (spec.context) {
    const get = spec.context;
    const finish = compileFinish(spec, 'context');
    return { spec, read: (_scope, env) => finish(get(env.ctx), env) };
  }
  const page = mode === 'csv' ? 'CSV' : 'JSON';
  if (spec.selector !== undefined && spec.jsonPath === undefined) {
    throw new ExtractConfigError(
      label,
      `has \`selector\` (HTML) but the page is ${page}; use \`path\`${mode === 'csv' ? ' or `column`' : ''} (with \`selector\` it reads HTML inside a value)`,
    );
  }
  for (const [option, set] of [
    ['xpath', spec.xpath !== undefined],
    ['jsonld', spec.jsonld !== undefined],
    ['closest', spec.closest !== undefined],
    ['previous', spec.previous !== undefined],
    ['next', spec.next !== undefined],
  ] as const) {
    if (set) throw new ExtractConfigError(label, `\`${option}\` applies to HTML and XML pages; this page is ${page}`);
  }
  if (spec.column !== undefined && mode !== 'csv') throw new ExtractConfigError(label, '`column` applies to CSV pages only');
  if (spec.selector !== undefined) return compileHtmlInJson(spec, label, c);
  if ((spec.attr !== undefined || spec.html) && spec.json === undefined) {
    throw new ExtractConfigError(label, '`attr` and `html` apply to HTML pages (or with `selector`, to HTML inside a value)');
  }
  const query = valueQuery(spec, mode, label);
  const fromPage = spec.from === 'page';
  const at = fromPage ? (_scope: unknown, env: Env) => query(pageData(env)) : (scope: unknown) => query(scope);
  const { list, required } = spec;

  if (spec.json !== undefined) {
    // `path` found the text; the data it holds is read by nested `fields`.
    const read = compileDataReader({ ...spec, jsonPath: undefined }, c);
    return {
      spec,
      read: (scope, env) =>
        read(
          asList(at(scope, env)).map((v) => (typeof v === 'string' ? v : null)),
          env,
        ),
    };
  }

  if (spec.fields) {
    const nested = c.json(spec.fields, 'json');
    if (list) {
      return {
        spec,
        read(scope, env) {
          const out: DataRecord[] = [];
          for (const item of asList(at(scope, env))) {
            const obj = buildObject(nested, item, env);
            if (obj) out.push(obj);
          }
          return out;
        },
      };
    }
    return {
      spec,
      read(scope, env) {
        const value = at(scope, env);
        if (value !== null && typeof value === 'object') return buildObject(nested, value, env);
        if (required) env.problem = `${JSON.stringify(spec.jsonPath ?? spec.shorthand)} gives no object`;
        return null;
      },
    };
  }

  const source: Source = mode === 'csv' ? 'csv' : 'json';
  const finish = compileFinish(spec, source);
  if (list) {
    return {
      spec,
      read(scope, env) {
        const out: RecordValue[] = [];
        for (const item of asList(at(scope, env))) {
          const v = finish(item as RecordValue, env);
          if (v !== null) out.push(v);
        }
        return out;
      },
    };
  }
  return { spec, read: (scope, env) => finish(at(scope, env) as RecordValue | undefined, env) };
}

/** How a field finds its value in its item: a JMESPath, or on a CSV row a column by name or position. */
function valueQuery(spec: FieldSpec, mode: 'json' | 'csv', label: string): JsonQuery {
  if (mode === 'csv' && spec.jsonPath === undefined) {
    const column = spec.column ?? spec.shorthand;
    if (typeof column === 'number') return (row) => cellsOf(row)?.[column - 1] ?? null;
    if (column !== undefined)
      return (row) => (row !== null && typeof row === 'object' && column in row ? (row as Record<string, unknown>)[column] : null);
  }
  return queryFor(spec.shorthand ?? spec.jsonPath ?? '@', label);
}

/**
 * A value that is HTML (`body_html`), read with CSS: `path` finds the string, `selector`
 * (absolute within that fragment) the elements, and the usual options the value.
 */
function compileHtmlInJson(spec: FieldSpec, label: string, c: FieldCompilers): JsonReader {
  const query = queryFor(spec.jsonPath!, label);
  const [inner] = c.html([{ ...spec, jsonPath: undefined, from: undefined }], false, false);
  const { list, required } = spec;
  return {
    spec,
    read(scope, env) {
      const text = query(spec.from === 'page' ? pageData(env) : scope);
      if (typeof text !== 'string') {
        if (required) env.problem = `${JSON.stringify(spec.jsonPath)} gives no HTML text`;
        return list ? [] : null;
      }
      const tree = parseHtmlWithin(text, MAX_NESTING_DEPTH);
      if (!tree) throw new NestingTooDeepError(env.page.url, 'HTML', MAX_NESTING_DEPTH);
      // The fragment's own cheerio API, for the selectors that go through cheerio; put back after.
      const saved = env.$;
      env.$ = load(tree);
      try {
        return inner!.read(tree, env);
      } finally {
        env.$ = saved;
      }
    },
  };
}
