// The steps of `session.login`, run in order: each a request the author wrote
// (its text expanded like the crawl's: constants, secrets, and the values the
// steps before it took), sent as a support request with the session's cookies,
// then the values its `take` names read from its response. Every value taken
// is registered as a secret before anything can log it.
import type { ResolvedLoginStep } from '../../language/generated/resolved.types.ts';
import { render } from '../../language/template.ts';
import type { CompiledCollector } from '../engine/compile.ts';
import { expandDeep } from '../engine/request.ts';
import { HttpStatusError, isRetryable } from '../fetch/errors.ts';
import type { FetchRequest, FetchResponse, Fetcher } from '../fetch/types.ts';
import type { RequestExpander, SecretResolver } from '../secrets.ts';
import type { SessionCookies } from './cookie-jar.ts';
import { LoginError } from './errors.ts';
import { takeValue } from './take.ts';

interface LoginDeps {
  inner: Fetcher;
  compiled: CompiledCollector;
  secrets: SecretResolver;
  cookies: SessionCookies;
  /** The run's `--var` values, over the collector's constants. */
  vars?: Readonly<Record<string, string>>;
}

interface LoggedIn {
  /** The values taken, by name: what `${session:NAME}` stands for. */
  values: Record<string, string>;
  steps: number;
}

export async function logIn(deps: LoginDeps): Promise<LoggedIn> {
  const { compiled, secrets } = deps;
  const steps = compiled.spec.session.login ?? [];
  // A login belongs to the run, not to a task: its text may use constants and `name`, no task's variables.
  const vars = { name: compiled.spec.name, ...compiled.constants, ...deps.vars };
  const values: Record<string, string> = {};
  for (const [i, step] of steps.entries()) {
    const label = `login step ${i + 1}`;
    const request = await stepRequest(step, vars, secrets.withSession(values), label);
    const what = `${label} (${request.method} ${request.url})`;
    const capture = deps.cookies.capture();
    let response: FetchResponse;
    try {
      response = await deps.inner.fetch({ ...request, role: 'support', cookies: capture.hook }, compiled.policy);
    } catch (err) {
      throw stepFailed(what, request.url, err);
    }
    if (response.acceptedEmpty)
      throw new LoginError(`${what} answered HTTP ${response.status}${credentialsHint(response.status)}`, request.url, {
        status: response.status,
      });
    for (const [name, take] of Object.entries(step.take)) {
      const got = takeValue(take, { response, cookies: capture.set });
      if ('missing' in got)
        throw new LoginError(
          `${what}: cannot take ${name}: ${got.missing} on the response (HTTP ${response.status} from ${response.url}); check the step's take, or the credentials if the site answered with its login page again`,
          request.url,
        );
      secrets.register(got.value);
      values[name] = got.value;
    }
  }
  return { values, steps: steps.length };
}

async function stepRequest(
  step: ResolvedLoginStep,
  vars: Readonly<Record<string, string>>,
  expander: RequestExpander,
  label: string,
): Promise<FetchRequest> {
  let url: URL;
  try {
    url = new URL(render(step.url, vars));
  } catch (err) {
    throw new LoginError(`${label}: url ${JSON.stringify(step.url)} is not an absolute URL: ${(err as Error).message}`, step.url);
  }
  for (const [k, v] of Object.entries(step.query)) url.searchParams.set(k, await expander.expand(String(v), vars));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.headers)) headers[k.toLowerCase()] = await expander.expand(v, vars);
  const request: FetchRequest = { url: url.href, method: step.method, headers };
  if (step.body?.json !== undefined) {
    request.body = JSON.stringify(await expandDeep(step.body.json, vars, expander));
    headers['content-type'] ??= 'application/json';
  } else if (step.body?.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(step.body.form)) form.set(k, await expander.expand(String(v), vars));
    request.body = form.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return request;
}

function stepFailed(what: string, url: string, err: unknown): LoginError {
  const retryable = isRetryable(err);
  if (err instanceof HttpStatusError)
    return new LoginError(`${what} answered HTTP ${err.status}${credentialsHint(err.status)}`, url, {
      retryable,
      status: err.status,
      cause: err,
    });
  return new LoginError(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, url, { retryable, cause: err });
}

function credentialsHint(status: number): string {
  return status === 401 || status === 403 ? '; check the credentials' : '';
}
