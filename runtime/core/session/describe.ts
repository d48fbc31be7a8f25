// The session block in words, for `collect explain`: the cookie jar, each login
// step (its URL, the names of what it sends and takes, never a value), and
// how an expired session shows and what happens then.
import type { ResolvedCollector, ResolvedLoginStep } from '../../language/generated/resolved.types.ts';
import { renderKnown } from '../../language/template.ts';
import { describeTake } from './take.ts';

type Session = ResolvedCollector['session'];

/** One line each; `vars` (constants and `name`) render the step URLs, which hold no secret (references are refused there). */
export function describeSession(session: Session, vars: Readonly<Record<string, string>>): string[] {
  const lines = [
    session.cookies
      ? 'cookies: kept for the run (per collector and run in each Lambda invocation) and sent to the hosts that set them'
      : 'cookies: none kept or sent (session.cookies: false)',
  ];
  const steps = session.login ?? [];
  if (steps.length === 0) return lines;
  lines.push(
    `login: ${steps.length} step${steps.length === 1 ? '' : 's'} before the first page; locally once a run, on AWS at most once per invocation for each run it works on`,
  );
  for (const [i, step] of steps.entries()) lines.push(`  ${i + 1}. ${describeStep(step, vars)}`);
  const expired = session.expired;
  if (!expired) lines.push('expired: no rule; the session is taken to last the whole run');
  else {
    const when = [
      ...(expired.statuses ? [`HTTP ${expired.statuses.join(' or ')}`] : []),
      ...(expired.redirectTo !== undefined ? [`a redirect to a URL matching ${expired.redirectTo}`] : []),
      ...(expired.selector !== undefined ? [`a page showing ${expired.selector}`] : []),
    ];
    lines.push(
      `expired when: ${when.join('; or ')}. Then the login runs again, once for all pages that saw it, and the page is fetched again; a session that expires again before any page loads with it fails the page (SessionExpiredError) and stops further logins`,
    );
  }
  return lines;
}

function describeStep(step: ResolvedLoginStep, vars: Readonly<Record<string, string>>): string {
  const sends = [
    ...names('header', Object.keys(step.headers)),
    ...names('query parameter', Object.keys(step.query)),
    ...(step.body?.form ? names('form field', Object.keys(step.body.form)) : []),
    ...(step.body?.json !== undefined ? ['a JSON body'] : []),
  ];
  const takes = Object.entries(step.take).map(([name, take]) => `${name} (${describeTake(take) ?? 'no source'})`);
  return [
    `${step.method} ${renderKnown(step.url, vars)}`,
    ...(sends.length ? [`sends ${sends.join(', ')}`] : []),
    takes.length ? `takes ${takes.join(', ')}` : 'takes nothing (its cookies stay in the jar)',
  ].join('; ');
}

function names(what: string, keys: string[]): string[] {
  return keys.length === 0 ? [] : [`${what}${keys.length === 1 ? '' : 's'} ${keys.join(', ')}`];
}
