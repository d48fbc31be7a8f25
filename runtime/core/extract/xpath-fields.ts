// Field readers that use XPath on XML pages: a field's `xpath` (or a selector written as XPath,
// or, inside XPath items, a string field) is evaluated against its item's node.

import type { FieldCompilers } from './compilers.ts';
import { ExtractConfigError, fieldLabel } from './errors.ts';
import type { FieldSpec } from './field-spec.ts';
import { compileDataReader } from './json-value.ts';
import { buildObject, type Env, type FieldReader } from './record.ts';
import type { DataRecord, ParsedPage, RecordValue } from './types.ts';
import { compileFinish } from './value.ts';
import {
  compileXPath,
  type CompiledXPath,
  innerXml,
  isXmlElement,
  nodeText,
  type XmlNode,
  xmlDocument,
  type XPathResult,
} from './xpath.ts';

export type XPathReader = FieldReader<XmlNode>;
type XmlPage = Extract<ParsedPage, { kind: 'xml' }>;

export function xpathFor(expression: string, where: string): CompiledXPath {
  try {
    return compileXPath(expression);
  } catch (e) {
    throw new ExtractConfigError(where, `invalid XPath ${JSON.stringify(expression)}: ${(e as Error).message}`);
  }
}

/** Whether a field is read with XPath on an XML page; `inXPathItems`: a string field is XPath there. */
export function usesXPath(spec: FieldSpec, inXPathItems: boolean): boolean {
  return spec.xpath !== undefined || (inXPathItems && spec.shorthand !== undefined);
}

export function compileXPathFields(specs: readonly FieldSpec[], c: FieldCompilers): XPathReader[] {
  return specs.map((spec) => compileXPathField(spec, c));
}

function compileXPathField(spec: FieldSpec, c: FieldCompilers): XPathReader {
  const label = fieldLabel(spec.path);
  if (spec.context) {
    const get = spec.context;
    const finish = compileFinish(spec, 'context');
    return { spec, read: (_scope, env) => finish(get(env.ctx), env) };
  }
  if (spec.closest !== undefined || spec.previous !== undefined || spec.next !== undefined) {
    throw new ExtractConfigError(
      label,
      '`closest`, `previous` and `next` take CSS; with XPath use its axes (ancestor::, preceding-sibling::)',
    );
  }
  if (spec.column !== undefined) throw new ExtractConfigError(label, '`column` applies to CSV pages only');
  const data = spec.json !== undefined || spec.jsonld !== undefined;
  if (spec.jsonPath !== undefined && !data) {
    throw new ExtractConfigError(label, '`path` on an XML page queries data read with `json`; add it, or use `xpath`');
  }
  const source = spec.xpath ?? spec.shorthand;
  if (source === undefined) {
    throw new ExtractConfigError(label, 'CSS selectors do not read inside XPath items; write `xpath:` (a path relative to the item)');
  }
  const expr = xpathFor(source, label);
  const { list, required, attr } = spec;
  const evaluate = (scope: XmlNode, env: Env): XPathResult => {
    const page = env.page as XmlPage;
    return expr(spec.from === 'page' ? xmlDocument(page) : scope, page);
  };
  const nothing = (env: Env): null => {
    if (required) env.problem = `XPath ${JSON.stringify(source)} gives nothing`;
    return null;
  };
  const texts = (r: XPathResult): (string | null)[] =>
    'nodes' in r ? r.nodes.map((n) => nodeText(n, attr)) : [r.value === null ? null : String(r.value)];

  if (data) {
    const read = compileDataReader(spec, c);
    return { spec, read: (scope, env) => read(texts(evaluate(scope, env)), env) };
  }

  if (spec.fields) {
    const nested = c.xpath(spec.fields);
    return {
      spec,
      read(scope, env) {
        const r = evaluate(scope, env);
        const nodes = 'nodes' in r ? r.nodes.filter(isXmlElement) : [];
        if (list) {
          const out: DataRecord[] = [];
          for (const n of nodes) {
            const obj = buildObject(nested, n, env);
            if (obj) out.push(obj);
          }
          return out;
        }
        return nodes[0] ? buildObject(nested, nodes[0], env) : nothing(env);
      },
    };
  }

  const finish = compileFinish(spec, 'html');
  const one = (r: XPathResult, i: number): RecordValue | undefined => {
    if (!('nodes' in r)) return i === 0 ? r.value : undefined;
    const node = r.nodes[i];
    if (node === undefined) return undefined;
    return spec.html && attr === undefined ? innerXml(node) : nodeText(node, attr);
  };
  if (list) {
    return {
      spec,
      read(scope, env) {
        const r = evaluate(scope, env);
        const n = 'nodes' in r ? r.nodes.length : 1;
        const out: RecordValue[] = [];
        for (let i = 0; i < n; i++) {
          const v = finish(one(r, i), env);
          if (v !== null) out.push(v);
        }
        return out;
      },
    };
  }
  return {
    spec,
    read(scope, env) {
      const v = one(evaluate(scope, env), 0);
      return v === undefined ? nothing(env) : finish(v, env);
    },
  };
}
