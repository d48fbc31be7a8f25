// Fields that read data out of text: `json` (a <script> holding JSON, a JavaScript variable
// assigned an object literal) and `jsonld`. The texts a field found (one per element, in page
// order) become data here; `path` then queries it and nested `fields` read it as JSON.
//
// Without `list`, the first element that gives data is used; with `list`, every one does, and
// what `path` gives for each is gathered into one flat list. Texts that give no data leave the
// field empty with a warning (a required field also drops its record).

import { readEmbeddedJson } from './embedded-json.ts';
import { fieldLabel } from './errors.ts';
import type { FieldSpec } from './field-spec.ts';
import type { FieldCompilers } from './compilers.ts';
import { asList, queryFor } from './jmespath.ts';
import { hasType, jsonLdNodes } from './jsonld.ts';
import { buildObject, type Env } from './record.ts';
import { applyRegex } from './regex.ts';
import type { DataRecord, RecordValue } from './types.ts';
import { compileFinish } from './value.ts';

/** The first problem of each sort met while reading a field's texts. */
interface Problems {
  broken?: string;
  absent?: string;
}

/** `texts` yields the raw text of each element found, lazily: without `list` reading stops at the first with data. */
export type DataReader = (texts: Iterable<string | null>, env: Env) => RecordValue;

export function compileDataReader(spec: FieldSpec, c: FieldCompilers): DataReader {
  const label = fieldLabel(spec.path);
  const query = spec.jsonPath !== undefined ? queryFor(spec.jsonPath, label) : undefined;
  const name = typeof spec.json === 'string' ? spec.json : undefined;
  const ldType = typeof spec.jsonld === 'string' ? spec.jsonld : undefined;
  const { regex, list, required } = spec;
  // The regex has run on the text already; the finish converts the value `path` gives.
  const finish = compileFinish({ ...spec, regex: undefined }, 'json');
  const nested = spec.fields ? c.json(spec.fields, 'json') : undefined;

  /** The data units of one text: its parsed value (json), or its JSON-LD nodes. */
  const unitsOf = (text: string, env: Env, problems: Problems): unknown[] => {
    const source = regex ? applyRegex(regex, text) : text;
    if (source === null) {
      problems.absent ??= `regex ${regex} does not match`;
      return [];
    }
    const read = readEmbeddedJson(source, env.page.url, spec.jsonld !== undefined ? undefined : name);
    if (!read.ok) {
      if (read.absent) problems.absent ??= read.problem;
      else problems.broken ??= read.problem;
      return [];
    }
    if (spec.jsonld === undefined) return [read.value];
    const nodes = jsonLdNodes(read.value);
    return ldType !== undefined ? nodes.filter((n) => hasType(n, ldType)) : nodes;
  };

  const value = (data: unknown, env: Env): RecordValue => {
    const v = query ? query(data) : data;
    if (nested) return v !== null && typeof v === 'object' ? buildObject(nested, v, env) : null;
    return finish(v as RecordValue | undefined, env);
  };

  return (texts, env) => {
    const problems: Problems = {};
    const units: unknown[] = [];
    let seen = 0;
    for (const text of texts) {
      if (text === null) continue;
      seen++;
      units.push(...unitsOf(text, env, problems));
      // `jsonld: true` without `list` is the list of every node on the page, so it reads on.
      if (!list && units.length > 0 && !(spec.jsonld === true)) break;
    }
    if (units.length === 0) {
      // What was broken says more than what was merely elsewhere (the other scripts of the page).
      const problem = problems.broken ?? problems.absent;
      if (problem !== undefined) env.warn(`${label}: ${problem}`);
      if (required) env.problem = seen === 0 ? 'no element to read JSON from' : (problem ?? 'no data');
      return list ? [] : null;
    }
    if (!list) return value(spec.jsonld === true ? units : units[0], env);
    const out: RecordValue[] = [];
    for (const unit of units) {
      if (nested) {
        for (const item of asList(query ? query(unit) : unit)) {
          const obj: DataRecord | null = item !== null && typeof item === 'object' ? buildObject(nested, item, env) : null;
          if (obj) out.push(obj);
        }
        continue;
      }
      for (const item of asList(query ? query(unit) : unit)) {
        const v = finish(item as RecordValue, env);
        if (v !== null) out.push(v);
      }
    }
    return out;
  };
}
