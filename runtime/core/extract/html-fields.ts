// Field readers over an htmlparser2 DOM. Elements are read directly (attribs, textContent,
// the serializer); no cheerio wrapper is made per item or field.

import { isTag, type AnyNode } from 'domhandler';
import { getInnerHTML, textContent } from 'domutils';
import { ExtractConfigError, fieldLabel } from './errors.ts';
import type { FieldSpec } from './field-spec.ts';
import { buildObject, type Env, type FieldReader } from './record.ts';
import { compileSelector, type CompiledSelector } from './selector.ts';
import type { DataRecord, RecordValue } from './types.ts';
import { compileFinish } from './value.ts';

export type HtmlReader = FieldReader<AnyNode>;

/** `scoped`: the scope is an element (an item or a nested field's match), not the document. */
export function compileHtmlFields(specs: readonly FieldSpec[], scoped: boolean): HtmlReader[] {
  return specs.map((spec) => compileHtmlField(spec, scoped));
}

export function selectorFor(source: string, scoped: boolean, where: string): CompiledSelector {
  try {
    return compileSelector(source, scoped);
  } catch (e) {
    throw new ExtractConfigError(where, `invalid CSS selector ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}

function compileHtmlField(spec: FieldSpec, scoped: boolean): HtmlReader {
  if (spec.context) {
    const get = spec.context;
    const finish = compileFinish(spec, 'context');
    return { spec, read: (_scope, env) => finish(get(env.ctx), env) };
  }
  if (spec.jsonPath !== undefined && spec.selector === undefined) {
    throw new ExtractConfigError(fieldLabel(spec.path), 'has `path` (JSON) but the page is HTML; use `selector`');
  }
  const source = spec.shorthand ?? spec.selector;
  const sel = source !== undefined ? selectorFor(source, scoped, fieldLabel(spec.path)) : undefined;
  const { required, list } = spec;
  const nothing = (env: Env): null => {
    if (required) env.problem = `selector ${JSON.stringify(source)} matches nothing`;
    return null;
  };

  if (spec.fields) {
    const nested = compileHtmlFields(spec.fields, true);
    if (list) {
      return {
        spec,
        read(scope, env) {
          const out: DataRecord[] = [];
          for (const el of sel ? sel.all(scope, env.$!) : [scope]) {
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
        const el = sel ? sel.one(scope, env.$!) : scope;
        return el ? buildObject(nested, el, env) : nothing(env);
      },
    };
  }

  const take = valueReader(spec);
  const finish = compileFinish(spec, 'html');
  if (list) {
    return {
      spec,
      read(scope, env) {
        const out: RecordValue[] = [];
        for (const el of sel ? sel.all(scope, env.$!) : [scope]) {
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
      const el = sel ? sel.one(scope, env.$!) : scope;
      return el ? finish(take(el), env) : nothing(env);
    },
  };
}

function valueReader(spec: FieldSpec): (el: AnyNode) => string | null {
  const attr = spec.attr;
  if (attr !== undefined) return (el) => (isTag(el) ? (el.attribs[attr] ?? null) : null);
  // Only the characters HTML needs are escaped; "£" stays "£" rather than "&#xa3;".
  if (spec.html) return (el) => getInnerHTML(el, { encodeEntities: 'utf8' });
  return (el) => textContent(el);
}
