// Field readers over parsed JSON: each field's JMESPath is evaluated against its item.

import { ExtractConfigError, fieldLabel } from './errors.ts';
import type { FieldSpec } from './field-spec.ts';
import { compileJmesPath, type JsonQuery } from './jmespath.ts';
import { buildObject, type FieldReader } from './record.ts';
import type { DataRecord, RecordValue } from './types.ts';
import { compileFinish } from './value.ts';

export type JsonReader = FieldReader<unknown>;

export function compileJsonFields(specs: readonly FieldSpec[]): JsonReader[] {
  return specs.map(compileJsonField);
}

export function queryFor(expression: string, where: string): JsonQuery {
  try {
    return compileJmesPath(expression);
  } catch (e) {
    throw new ExtractConfigError(where, `invalid JMESPath ${JSON.stringify(expression)}: ${(e as Error).message}`);
  }
}

/** A JMESPath result as a list of items: a list as it is, a single value as one item, null as none. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
}

function compileJsonField(spec: FieldSpec): JsonReader {
  if (spec.context) {
    const get = spec.context;
    const finish = compileFinish(spec, 'context');
    return { spec, read: (_scope, env) => finish(get(env.ctx), env) };
  }
  if (spec.selector !== undefined && spec.jsonPath === undefined) {
    throw new ExtractConfigError(fieldLabel(spec.path), 'has `selector` (HTML) but the page is JSON; use `path`');
  }
  if (spec.attr !== undefined || spec.html) {
    throw new ExtractConfigError(fieldLabel(spec.path), '`attr` and `html` apply to HTML pages only');
  }
  const query = queryFor(spec.shorthand ?? spec.jsonPath ?? '@', fieldLabel(spec.path));
  const { list, required } = spec;

  if (spec.fields) {
    const nested = compileJsonFields(spec.fields);
    if (list) {
      return {
        spec,
        read(scope, env) {
          const out: DataRecord[] = [];
          for (const item of asList(query(scope))) {
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
        const value = query(scope);
        if (value !== null && typeof value === 'object') return buildObject(nested, value, env);
        if (required) env.problem = `${JSON.stringify(spec.jsonPath ?? spec.shorthand)} gives no object`;
        return null;
      },
    };
  }

  const finish = compileFinish(spec, 'json');
  if (list) {
    return {
      spec,
      read(scope, env) {
        const out: RecordValue[] = [];
        for (const item of asList(query(scope))) {
          const v = finish(item as RecordValue, env);
          if (v !== null) out.push(v);
        }
        return out;
      },
    };
  }
  return { spec, read: (scope, env) => finish(query(scope) as RecordValue | undefined, env) };
}
