// Field readers over an htmlparser2 DOM (HTML pages, and XML pages read with CSS). Elements are
// read directly (attribs, textContent, the serializer); no cheerio wrapper is made per item or field.

import { isTag, type AnyNode } from 'domhandler';
import { getInnerHTML, textContent } from 'domutils';
import type { FieldCompilers } from './compilers.ts';
import { ExtractConfigError, fieldLabel } from './errors.ts';
import type { FieldSpec } from './field-spec.ts';
import { compileDataReader } from './json-value.ts';
import { buildObject, type Env, type FieldReader } from './record.ts';
import { compileScopeStep } from './relative.ts';
import { compileSelector, type CompiledSelector } from './selector.ts';
import type { DataRecord, RecordValue } from './types.ts';
import { compileFinish } from './value.ts';

export type HtmlReader = FieldReader<AnyNode>;

/** The elements `json` and `jsonld` read when no `selector` is given. */
const SCRIPTS = 'script';
const JSON_LD_SCRIPTS = 'script[type="application/ld+json" i]';

/**
 * `scoped`: the scope is an element (an item or a nested field's match), not the document.
 * `xml`: the page is XML (names and attributes keep their case, inner markup is XML).
 */
export function compileHtmlFields(specs: readonly FieldSpec[], scoped: boolean, xml: boolean, c: FieldCompilers): HtmlReader[] {
  return specs.map((spec) => compileHtmlField(spec, scoped, xml, c));
}

export function selectorFor(source: string, scoped: boolean, where: string, xml = false): CompiledSelector {
  try {
    return compileSelector(source, scoped, xml);
  } catch (e) {
    throw new ExtractConfigError(where, `invalid CSS selector ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}

function compileHtmlField(spec: FieldSpec, scoped: boolean, xml: boolean, c: FieldCompilers): HtmlReader {
  const label = fieldLabel(spec.path);
  if (spec.context) {
    const get = spec.context;
    const finish = compileFinish(spec, 'context');
    return { spec, read: (_scope, env) => finish(get(env.ctx), env) };
  }
  const data = spec.json !== undefined || spec.jsonld !== undefined;
  if (spec.xpath !== undefined) {
    throw new ExtractConfigError(
      label,
      xml
        ? 'XPath reads XPath items (an `items` starting with `/`) or the page (`from: page`); these items are CSS'
        : 'XPath applies to XML pages; this page is HTML, use `selector`',
    );
  }
  if (spec.column !== undefined) throw new ExtractConfigError(label, '`column` applies to CSV pages only');
  // With a selector, `path` without `json` is the JSON half of a field that serves both kinds (`parse: auto`).
  if (spec.jsonPath !== undefined && spec.selector === undefined && !data) {
    throw new ExtractConfigError(
      label,
      'has `path` (JSON) but the page is HTML; use `selector` (with `json: true`, `path` queries JSON in the page)',
    );
  }
  const step = compileScopeStep(spec, (source, what) => selectorFor(source, true, `${label} ${what}`, xml));
  // From the page, a selector is absolute; from an item or an element a step found, relative to it.
  const relative = spec.from === 'page' ? false : step !== undefined || scoped;
  const written = spec.shorthand ?? spec.selector;
  const source = written ?? (spec.jsonld !== undefined ? JSON_LD_SCRIPTS : spec.json !== undefined ? SCRIPTS : undefined);
  const sel = source !== undefined ? selectorFor(source, relative, label, xml) : undefined;
  // `json` without a selector also reads the item itself when it is a <script>.
  const selfToo = written === undefined && sel !== undefined;
  const { required, list } = spec;
  const start = (scope: AnyNode, env: Env): AnyNode | null => (step ? step(scope, env) : scope);
  const nothing = (env: Env): null => {
    if (required) env.problem = source !== undefined ? `selector ${JSON.stringify(source)} matches nothing` : 'nothing to read from';
    return null;
  };
  const elements = (at: AnyNode, env: Env): AnyNode[] => {
    if (!sel) return [at];
    const found = sel.all(at, env.$!);
    return selfToo && isTag(at) && sel.matches(at) ? [at, ...found] : found;
  };

  if (data) {
    const read = compileDataReader(spec, c);
    const take = valueReader({ ...spec, html: false }, xml);
    return {
      spec,
      read(scope, env) {
        const at = start(scope, env);
        if (!at) return nothing(env);
        return read(lazily(elements(at, env), take), env);
      },
    };
  }

  if (spec.fields) {
    const nested = c.html(spec.fields, true, xml);
    if (list) {
      return {
        spec,
        read(scope, env) {
          const at = start(scope, env);
          const out: DataRecord[] = [];
          if (!at) return out;
          for (const el of elements(at, env)) {
            const obj = buildObject(nested, el, env);
            if (obj) out.push(obj);
          }
          return out;
        },
      };
    }
    return {
      spec,
      read(scope, env) {
        const at = start(scope, env);
        const el = at && (sel ? sel.one(at, env.$!) : at);
        return el ? buildObject(nested, el, env) : nothing(env);
      },
    };
  }

  const take = valueReader(spec, xml);
  const finish = compileFinish(spec, 'html');
  if (list) {
    return {
      spec,
      read(scope, env) {
        const at = start(scope, env);
        const out: RecordValue[] = [];
        if (!at) return out;
        for (const el of elements(at, env)) {
          const v = finish(take(el), env);
          if (v !== null) out.push(v);
        }
        return out;
      },
    };
  }
  return {
    spec,
    read(scope, env) {
      const at = start(scope, env);
      const el = at && (sel ? sel.one(at, env.$!) : at);
      return el ? finish(take(el), env) : nothing(env);
    },
  };
}

/** Texts are taken one by one: reading stops at the first element that gives data. */
function* lazily(elements: readonly AnyNode[], take: (el: AnyNode) => string | null): Generator<string | null> {
  for (const el of elements) yield take(el);
}

function valueReader(spec: FieldSpec, xml: boolean): (el: AnyNode) => string | null {
  // htmlparser2 lower-cases HTML attribute names; XML keeps them as written (`isPermaLink`).
  const attr = spec.attr === undefined ? undefined : xml ? spec.attr : spec.attr.toLowerCase();
  if (attr !== undefined) return (el) => (isTag(el) ? (el.attribs[attr] ?? null) : null);
  // Only the characters HTML needs are escaped; "£" stays "£" rather than "&#xa3;".
  if (spec.html) return (el) => getInnerHTML(el, { encodeEntities: 'utf8', xmlMode: xml });
  return (el) => textContent(el);
}
