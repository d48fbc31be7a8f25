// What one host's robots.txt says (RFC 9309), read with robots-parser: whether
// a URL may be fetched, by which rule, and the Crawl-delay. A robots.txt that
// could not be read is one of two verdicts: missing (4xx) allows everything,
// unreachable (5xx, network error) disallows everything.
import robotsParserModule from 'robots-parser';

// The package is CommonJS exporting the function itself (what Node's and esbuild's default import
// give); its types declare an ES default export instead, which TypeScript reads as a namespace here.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

interface RobotsVerdict {
  allowed: boolean;
  /** The rule that decided, as written (`Disallow: /private/ (robots.txt line 4)`), or why the whole host is closed. */
  rule?: string;
}

export interface RobotsRules {
  /** The robots.txt these rules come from. */
  readonly url: string;
  check(url: string, userAgent: string): RobotsVerdict;
  /** Seconds between requests the site asks of this User-Agent, if it asks. */
  crawlDelaySeconds(userAgent: string): number | undefined;
}

/** Rules read from a robots.txt body. */
export function parseRobots(robotsUrl: string, text: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text);
  const lines = text.split(/\r\n|\r|\n/);
  return {
    url: robotsUrl,
    check(url, userAgent) {
      // undefined: another origin than the robots.txt's. The layer asks only for its own origin.
      if (robots.isAllowed(url, userAgent) !== false) return { allowed: true };
      const line = robots.getMatchingLineNumber(url, userAgent);
      const written = line > 0 ? lines[line - 1]?.trim() : undefined;
      return { allowed: false, rule: written ? `${written} (robots.txt line ${line})` : 'a Disallow rule' };
    },
    crawlDelaySeconds(userAgent) {
      const delay = robots.getCrawlDelay(userAgent);
      return typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? delay : undefined;
    },
  };
}

/** No robots.txt (a 4xx): every URL may be fetched. */
export function allowAll(robotsUrl: string): RobotsRules {
  return { url: robotsUrl, check: () => ({ allowed: true }), crawlDelaySeconds: () => undefined };
}

/** robots.txt unreachable (5xx, network error): nothing on the host may be fetched this run. */
export function disallowAll(robotsUrl: string, why: string): RobotsRules {
  const rule = `the whole host, because ${why} (RFC 9309: an unreachable robots.txt means complete disallow)`;
  return { url: robotsUrl, check: () => ({ allowed: false, rule }), crawlDelaySeconds: () => undefined };
}
