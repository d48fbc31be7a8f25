// Where a page token and the incremental mark go, checked against the request
// they go into: a `path` belongs to a JSON body (`in: body`), the request must
// have that body, and the path must lead through objects of it. The stop
// rules' expressions (stop.hasMore, stop.done) are checked with the strategy's
// own lint (core/paginate/registry.ts).
import { blockedAt, bodyPath } from '../../core/paginate/body-path.ts';
import type { Collector } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';

type Place = 'query' | 'header' | 'body' | 'path';

/** A value's place as the author wrote it, and where its options sit in the document. */
interface Slot {
  at: PathSegment[];
  in: Place;
  path: string | undefined;
  /** The option naming the value (`param`, `offsetParam`, `name`), and its value when the author wrote one. */
  nameKey: string;
  named: { key: string; value: string } | undefined;
  what: string;
}

export function lintBodyPaths(c: Collector): Issue[] {
  const slots = [pageSlot(c), markSlot(c)].filter((s): s is Slot => s !== undefined);
  const issues = slots.flatMap((s) => checkSlot(c, s));
  issues.push(...missingNames(c));
  const [page, mark] = [pageSlot(c), markSlot(c)];
  if (page?.in === 'body' && mark?.in === 'body' && target(page) === target(mark))
    issues.push({
      path: [...mark.at, mark.path !== undefined ? 'path' : 'name'],
      message: `the incremental mark and the page token would both be written at body field "${target(mark)}"`,
      hint: 'give the mark its own field',
    });
  return issues;
}

function pageSlot(c: Collector): Slot | undefined {
  const p = c.paginate;
  if (!p || p.type === 'next-link') return undefined;
  const nameKey = p.type === 'offset' ? 'offsetParam' : 'param';
  const name = p.type === 'offset' ? p.offsetParam : p.param;
  return {
    at: ['paginate'],
    in: p.in ?? 'query',
    path: p.path,
    nameKey,
    named: name !== undefined ? { key: nameKey, value: name } : undefined,
    what: p.type === 'cursor' ? 'the token' : p.type === 'offset' ? 'the offset' : 'the page number',
  };
}

function markSlot(c: Collector): Slot | undefined {
  const m = c.records?.incremental?.param;
  if (!m) return undefined;
  return {
    at: ['records', 'incremental', 'param'],
    in: m.in ?? 'query',
    path: m.path,
    nameKey: 'name',
    named: m.name !== undefined ? { key: 'name', value: m.name } : undefined,
    what: 'the mark',
  };
}

/** The body field a slot writes, as a dot path. */
function target(s: Slot): string | undefined {
  return s.path ?? s.named?.value;
}

function checkSlot(c: Collector, s: Slot): Issue[] {
  if (s.path === undefined) return [];
  const at: PathSegment[] = [...s.at, 'path'];
  if (s.in !== 'body')
    return [
      {
        path: at,
        at: 'key',
        message: `"path" writes ${s.what} inside a JSON body, but it goes in the ${s.in === 'path' ? 'URL (in: path)' : `${s.in} (in: ${s.in})`}`,
        hint: `set in: body, or remove path${s.named ? '' : ` and set ${s.nameKey}`}`,
      },
    ];
  const body = c.request?.body;
  if (body?.form !== undefined)
    return [
      {
        path: at,
        message: `"path" writes ${s.what} inside a JSON body, but request.body is a form`,
        hint: `use request.body.json, or remove path to send ${s.what} as a form field`,
      },
    ];
  if (body?.json === undefined)
    return [
      {
        path: at,
        message: `"path" writes ${s.what} inside the JSON body, but the request has no request.body.json`,
        hint: `add request.body.json with the object it goes in (${s.path.split('.').reduceRight<string>((inner, key) => `{ ${key}: ${inner} }`, 'null')})`,
      },
    ];
  const issues: Issue[] = [];
  const blocked = blockedAt(body.json, bodyPath(s.path));
  if (blocked)
    issues.push({
      path: ['request', 'body', 'json', ...blocked],
      message: `${blocked.length ? `"${blocked.join('.')}"` : 'the JSON body'} is not an object, so ${s.what} cannot be written at "${s.path}"`,
      hint: 'make it an object (a mapping), or choose another path',
    });
  if (s.named)
    issues.push({
      path: [...s.at, s.named.key],
      at: 'key',
      severity: 'warning',
      message: `"${s.named.key}" is not used: with "path", ${s.what} is written at "${s.path}"`,
      hint: `remove ${s.named.key}`,
    });
  return issues;
}

/** A value with neither a name nor a body path has nowhere to go. */
function missingNames(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const p = c.paginate;
  // (A path outside a body is reported with the path.)
  if (p?.type === 'cursor' && p.param === undefined && p.path === undefined)
    issues.push({
      path: ['paginate'],
      at: 'container',
      message: 'cursor pagination needs "param": the name the token is sent under',
      hint: 'or in: body with path: a field inside the JSON body (variables.after)',
    });
  const m = c.records?.incremental?.param;
  if (m && m.name === undefined && m.path === undefined)
    issues.push({
      path: ['records', 'incremental', 'param'],
      at: 'container',
      message: 'the mark needs "name": the query parameter, header or body field it is sent as',
      hint: 'or in: body with path: a field inside the JSON body (variables.since)',
    });
  return issues;
}
