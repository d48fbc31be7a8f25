// `records.incremental.param`: the high-water mark of the earlier runs, sent
// with every listing request so the site returns only what is newer. The mark
// is a record value (site data): it is written into the request as a value
// after the author's text was expanded, and never expanded itself.
import { DateTime } from 'luxon';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { bodyPath } from '../paginate/body-path.ts';
import type { Placed } from '../paginate/placement.ts';

type Incremental = NonNullable<ResolvedCollector['records']['incremental']>;
type MarkParam = NonNullable<Incremental['param']>;

/** The formats that are not Luxon patterns. */
const NAMED_FORMATS = ['iso', 'unix', 'unix-ms'] as const;

/** What the mark is sent as: a number for `unix`/`unix-ms` and for a mark that is a number as written ("95", not "007"). */
export function formatMark(mark: string, format: string): string | number {
  if (format === 'iso') return isCanonicalNumber(mark) ? Number(mark) : mark;
  const date = DateTime.fromISO(mark, { zone: 'utc' });
  if (!date.isValid)
    throw new Error(
      `records.incremental.param.format "${format}" writes a date, but the stored mark ${JSON.stringify(mark)} is not an ISO date; ` +
        'use format: iso (the mark as stored), or a date field as cursorField',
    );
  if (format === 'unix') return Math.floor(date.toSeconds());
  if (format === 'unix-ms') return date.toMillis();
  return date.toFormat(format);
}

function isCanonicalNumber(text: string): boolean {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && String(n) === text;
}

/** The mark in its place, or undefined on a run with no mark and no `initial` (the parameter is left out). */
export function markPlaced(param: MarkParam, mark: string | null): Placed | undefined {
  const value = mark === null ? param.initial : formatMark(mark, param.format);
  if (value === undefined) return undefined;
  const path = param.in === 'body' && param.path !== undefined ? bodyPath(param.path) : undefined;
  const name = path ? path[path.length - 1]! : (param.name ?? '');
  return { in: param.in, name, value, ...(path ? { path } : {}) };
}

/** What a page request of this collector carries of the mark; `state` is absent where no run state is kept (`collect try`). */
export async function markToSend(
  incremental: Incremental | undefined,
  state: { baseline(): Promise<string | null> } | undefined,
): Promise<Placed | undefined> {
  const param = incremental?.param;
  if (!param) return undefined;
  return markPlaced(param, state ? await state.baseline() : null);
}

/** For `collect explain`: where the mark goes, and what a run without one sends. */
export function describeMarkParam(incremental: Incremental | undefined): string | undefined {
  const param = incremental?.param;
  if (!param) return undefined;
  const where = param.in === 'body' && param.path ? `JSON body field \`${param.path}\`` : `${param.in} parameter \`${param.name ?? ''}\``;
  const format = (NAMED_FORMATS as readonly string[]).includes(param.format) ? param.format : `Luxon format ${param.format}`;
  const first =
    param.initial !== undefined ? `${JSON.stringify(param.initial)} (initial)` : 'nothing: the parameter is left out (no initial)';
  return (
    `the last run's high-water mark of \`${incremental!.cursorField}\` goes in the ${where} of every listing request, ` +
    `written ${format === 'iso' ? 'as stored (iso)' : `as ${format}`}; a run with no mark yet sends ${first}`
  );
}
