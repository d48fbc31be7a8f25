// The session layer of the fetch stack (core/engine/fetch-stack.ts): a cookie
// jar for every request, and, with `session.login`, a login before the first
// page and again when a page shows the session has expired.
//
// The login is lazy and shared: the first page of the stack starts it and every
// page waits for the same one, so a local run logs in once and a Lambda
// invocation at most once per collector and run (plus a login for each expiry).
// When pages see an expired session together, one of them logs in again and
// the others use its session. A page is fetched again after a new login; a
// session that expires before any page loaded with it, twice in a row, means
// the login does not hold (wrong credentials, a wrong `expired` rule): that
// page fails, and so does every later page, with no more logins.
import type { CompiledCollector } from '../engine/compile.ts';
import type { FetchLayer, StackScope } from '../engine/fetch-stack.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from '../fetch/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { SessionCookies } from './cookie-jar.ts';
import { SessionExpiredError } from './errors.ts';
import { ExpiryRule, type PageOutcome } from './expiry.ts';
import { logIn } from './login.ts';

/** Tries of one page: the first, and after each new login. A page seeing more expiries than this fails. */
const MAX_TRIES = 3;

export const sessionLayer: FetchLayer = {
  name: 'session',
  applies: (compiled) => compiled.spec.session.cookies || compiled.spec.session.login !== undefined,
  wrap: (inner, scope) => new SessionFetcher(inner, scope),
};

/** One login's session: its values, and how many pages loaded with it. */
interface Session {
  values: Record<string, string>;
  served: number;
  /** True once a page saw it expire before any page loaded with it. */
  dead: boolean;
}

class SessionFetcher implements Fetcher {
  private readonly compiled: CompiledCollector;
  private readonly secrets: SecretResolver;
  private readonly note: (text: string) => void;
  private readonly vars: Readonly<Record<string, string>> | undefined;
  private readonly cookies: SessionCookies;
  private readonly expiry: ExpiryRule;
  private current: Session | undefined;
  private loggingIn: Promise<Session> | undefined;
  /** Logins that succeeded. */
  private logins = 0;
  /** Sessions in a row that expired before any page loaded with them. */
  private deadInARow = 0;
  /** Set once the login is known not to work: every later page fails with it. */
  private broken: Error | undefined;

  constructor(
    private readonly inner: Fetcher,
    scope: StackScope,
  ) {
    this.compiled = scope.compiled;
    this.secrets = scope.secrets;
    this.note = scope.note ?? (() => {});
    this.vars = scope.vars;
    this.cookies = new SessionCookies(scope.secrets, scope.compiled.spec.session.cookies);
    this.expiry = new ExpiryRule(scope.compiled.spec.session.expired);
  }

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    const hasLogin = this.compiled.spec.session.login !== undefined;
    // A layer's own request (above this one) gets the cookies, and no login of its own.
    if (!hasLogin || request.role === 'support') return this.inner.fetch(await this.prepared(request, this.current), policy, signal);
    let previous: Session | undefined;
    for (let tries = 1; ; tries++) {
      if (this.broken) throw this.broken;
      const session = previous ? await this.again(previous) : await this.session();
      const sent = await this.prepared(request, session);
      let outcome: PageOutcome;
      try {
        outcome = { response: await this.inner.fetch(sent, policy, signal) };
      } catch (error) {
        outcome = { error };
      }
      const reason = this.expiry.reason(sent.url, outcome);
      if (reason === undefined) {
        if ('error' in outcome) throw outcome.error;
        session.served++;
        this.deadInARow = 0;
        return outcome.response;
      }
      if (session.served === 0 && !session.dead) {
        session.dead = true;
        this.deadInARow++;
      }
      if (this.deadInARow >= 2) {
        this.broken = new SessionExpiredError(
          `the session expired again right after a new login (${reason}); the login does not hold: check the credentials and session.expired. No further login is tried in this run`,
          request.url,
        );
        throw this.broken;
      }
      if (tries >= MAX_TRIES)
        throw new SessionExpiredError(`the session expired ${tries} times while this page was fetched (${reason})`, request.url);
      this.note(`session expired (${reason}): logging in again`);
      previous = session;
    }
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  /** The request as sent with a session: its `${session:NAME}` values filled in, and the jar. */
  private async prepared(request: FetchRequest, session: Session | undefined): Promise<FetchRequest> {
    const built = request.withSession ? await request.withSession(session?.values ?? {}) : request;
    const { withSession: _, ...plain } = built;
    return this.cookies.keep ? { ...plain, cookies: this.cookies.hook } : plain;
  }

  /** The current session, logging in first when there is none. */
  private session(): Promise<Session> {
    if (this.current) return Promise.resolve(this.current);
    return this.login();
  }

  /** A session newer than `expired`: the one another page already made, or a new login. */
  private again(expired: Session): Promise<Session> {
    if (this.current && this.current !== expired) return Promise.resolve(this.current);
    return this.login();
  }

  private login(): Promise<Session> {
    if (this.loggingIn) return this.loggingIn;
    const first = this.logins === 0;
    const done = (async (): Promise<Session> => {
      // A new login starts from an empty jar; pages in flight keep what they sent.
      if (!first) this.cookies.clear();
      try {
        const { inner, compiled, secrets, cookies, vars } = this;
        const { values, steps } = await logIn({ inner, compiled, secrets, cookies, ...(vars ? { vars } : {}) });
        this.logins++;
        const session: Session = { values, served: 0, dead: false };
        this.current = session;
        const taken = Object.keys(values);
        this.note(
          `${first ? 'logged in' : 'logged in again'} (${steps} step${steps === 1 ? '' : 's'})${taken.length ? `, took ${taken.join(', ')}` : ''}`,
        );
        return session;
      } catch (err) {
        // A login that fails for good (a 401, a value not found) fails every later page the same way;
        // a network error or a 503 may pass, and the next page tries again.
        if (!(err as { retryable?: boolean }).retryable) this.broken = err as Error;
        throw err;
      } finally {
        this.loggingIn = undefined;
      }
    })();
    this.loggingIn = done;
    return done;
  }
}
