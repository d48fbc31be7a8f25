// Every `{{ NAME }}` a template uses must have a value when it is rendered:
// a declared variable, a built-in, or the page number/token of a path pagination.
import { BUILTIN_VARIABLES, placeholders, templateVariables } from '../template.ts';
import type { Collector } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { strategyOf } from '../../core/paginate/registry.ts';
import { resolveCollector } from '../resolve.ts';
import { didYouMean } from '../suggest.ts';
import { allFields } from './walk.ts';

/** Names a template may use in this collector. */
function definedVariables(c: Collector): Set<string> {
  const names = new Set<string>([...BUILTIN_VARIABLES, ...Object.keys(c.variables ?? {})]);
  const p = c.paginate ? resolveCollector(c).paginate : undefined;
  if (p) for (const name of strategyOf(p).templateNames(p)) names.add(name);
  return names;
}

/** Every templated string of a collector, with its path. */
function* templates(c: Collector): Generator<{ text: string; path: PathSegment[] }> {
  for (const [i, url] of (c.start.urls ?? []).entries()) yield { text: url, path: ['start', 'urls', i] };
  for (const [i, s] of (c.start.sitemaps ?? []).entries())
    yield typeof s === 'string' ? { text: s, path: ['start', 'sitemaps', i] } : { text: s.url, path: ['start', 'sitemaps', i, 'url'] };
  const r = c.request;
  for (const [k, v] of Object.entries(r?.headers ?? {})) yield { text: v, path: ['request', 'headers', k] };
  for (const [k, v] of Object.entries(r?.query ?? {})) if (typeof v === 'string') yield { text: v, path: ['request', 'query', k] };
  for (const [k, v] of Object.entries(r?.body?.form ?? {}))
    if (typeof v === 'string') yield { text: v, path: ['request', 'body', 'form', k] };
  if (r?.body?.json !== undefined) yield* jsonStrings(r.body.json, ['request', 'body', 'json']);
  yield { text: c.output, path: ['output'] };
}

function* jsonStrings(value: unknown, path: PathSegment[]): Generator<{ text: string; path: PathSegment[] }> {
  if (typeof value === 'string') yield { text: value, path };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* jsonStrings(v, [...path, i]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* jsonStrings(v, [...path, k]);
}

export function lintTemplates(c: Collector): Issue[] {
  const defined = definedVariables(c);
  const issues: Issue[] = [];
  for (const { text, path } of templates(c)) {
    for (const name of templateVariables(text)) {
      if (defined.has(name)) continue;
      const needle = placeholders(text).find((p) => p.name === name)?.text;
      issues.push({
        path,
        ...(needle ? { needle } : {}),
        message: `undefined variable "${name}"`,
        hint: didYouMean(name, defined) ?? `declare it under variables, or use ${BUILTIN_VARIABLES.join(', ')}`,
      });
    }
  }
  const declared = new Set(Object.keys(c.variables ?? {}));
  for (const { field, path } of allFields(c)) {
    if (typeof field !== 'object' || !field.context?.startsWith('var.')) continue;
    const name = field.context.slice(4);
    if (!declared.has(name)) {
      issues.push({
        path: [...path, 'context'],
        message: `"${field.context}" names no variable`,
        hint: didYouMean(name, declared) ?? 'declare it under variables',
      });
    }
  }
  return issues;
}
