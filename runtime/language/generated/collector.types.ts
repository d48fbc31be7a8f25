/* Generated from schemas/collector.schema.json by `npm run generate:types`. Do not edit. */

/**
 * A start variable: a constant (string or number), or an object with one of `values` (a list), `range` (integers) or `dates` (a date range). The start URLs expand over every combination.
 */
export type Variable =
  | string
  | number
  | {
      /**
       * A list of values.
       *
       * @minItems 1
       */
      values?: [string | number, ...(string | number)[]];
      /**
       * Integers from `from` to `to` inclusive.
       */
      range?: {
        /**
         * First value.
         */
        from: number;
        /**
         * Last value (inclusive).
         */
        to: number;
        /**
         * Step. Default 1.
         */
        step?: number;
      };
      /**
       * Dates from `from` to `to` inclusive. Relative values: `today`, `yesterday`, `-7d`, `+1d`, `-2w`, `-1m`; absolute: `2024-01-31`.
       */
      dates?: {
        /**
         * First date.
         */
        from: string;
        /**
         * Last date (inclusive). Default `today`.
         */
        to?: string;
        /**
         * Step: a number of days, weeks or months (`1d`, `1w`, `1m`). Default `1d`.
         */
        step?: string;
        /**
         * Output format (Luxon tokens). Default `yyyy-MM-dd`.
         */
        format?: string;
        /**
         * IANA time zone in which "today" is computed. Default UTC.
         */
        timezone?: string;
      };
    };
/**
 * How a response is read: `html`, `json`, `xml` (XML APIs, RSS and Atom feeds), `csv` or `tsv` (a header row, then one item per row), or `auto`: by its Content-Type (`application/xml`, `text/xml`, `application/rss+xml`, `application/atom+xml`: xml; `text/csv`: csv; `text/tab-separated-values`: tsv; JSON types: json; anything else: html). Default auto.
 */
export type Parse = 'auto' | 'html' | 'json' | 'xml' | 'csv' | 'tsv';
/**
 * One field of a record. A string is a shorthand: a CSS selector whose text is taken (HTML, XML), a JMESPath (JSON) or a column name (CSV); inside XPath items, an XPath. An object gives every option.
 */
export type Field =
  | string
  | {
      /**
       * CSS selector, relative to the item (HTML, XML). Omit it to use the item element itself. On a JSON page, together with `path`: the string `path` gives is read as HTML and this selects in it. A selector that starts with `/` is XPath (XML).
       */
      selector?: string;
      /**
       * JMESPath, relative to the item (JSON, a CSV row, `embedded` data). On an HTML or XML page, with `json` or `jsonld`: queries the data read from the element.
       */
      path?: string;
      /**
       * XPath 1.0, relative to the item (XML pages). The document's own namespace prefixes work as they are (`dc:creator`), and a name without a prefix matches whatever its namespace (`entry` in an Atom feed). Element results give their text (or `attr`), attributes their value, `string()`/`count()` their result. Inside XPath items (`items` starting with `/`) a string field is XPath too.
       */
      xpath?: string;
      /**
       * A column of a CSV or TSV row: its name in the header row, or its position (1 is the first). On a CSV page a string field is a column name too.
       */
      column?: string | number;
      /**
       * `page`: read this field from the whole page rather than from the item, to give every record a page-level value (a heading, a category, a date). Omitted: from the item.
       */
      from?: 'item' | 'page';
      /**
       * CSS selector: start from the nearest ancestor of the item (or the item itself) that matches it; `selector` then selects inside that element, or it is read itself. For the heading of the section a list sits in: `{ closest: section, selector: h2 }`. HTML and XML.
       */
      closest?: string;
      /**
       * CSS selector: start from the nearest earlier sibling (of the item, or of the `closest` element) that matches it; `selector` then selects inside it, or it is read itself. `{ closest: ul, previous: h2 }` is the heading just before a list. HTML and XML.
       */
      previous?: string;
      /**
       * CSS selector: start from the nearest later sibling (of the item, or of the `closest` element) that matches it; `selector` then selects inside it, or it is read itself. HTML and XML.
       */
      next?: string;
      /**
       * Read the text found (after `regex`) as data. `true`: the text as JSON, or the first `{...}` or `[...]` in it; a name (`window.__DATA__`, `__NEXT_DATA__`): the object or array assigned to that JavaScript variable or property, also through `JSON.parse("...")`. Without `selector`, every `<script>` in the item is tried. JavaScript is never run: what is not valid JSON gives null and a warning. `path` then queries the data, and nested `fields` read it with `path`.
       */
      json?: boolean | string;
      /**
       * Read JSON-LD: every `<script type="application/ld+json">` in the item (`from: page` for the whole page), arrays and `@graph` flattened into one list of nodes. `true` gives that list; a type (`Product`) gives the first node of that `@type` (every one with `list: true`). `path` then queries it.
       */
      jsonld?: boolean | string;
      /**
       * Take the value from the run instead of the page: `url` (the page URL), `fetchedAt` (ISO time of the fetch), `runId`, `collector`, `taskId`, or `var.NAME` (a start variable of this request).
       */
      context?: string;
      /**
       * Read this attribute instead of the text (HTML).
       */
      attr?: string;
      /**
       * Take the inner HTML instead of the text (HTML).
       */
      html?: boolean;
      /**
       * Take every match as a list instead of the first one.
       */
      list?: boolean;
      /**
       * Regular expression applied to the text; the first capture group (or the whole match) is kept. No match gives null.
       */
      regex?: string;
      /**
       * Replace a value by another (applied after `regex`, before `type`). Unmapped values are kept.
       */
      map?: {
        [k: string]: string | number | boolean | null;
      };
      /**
       * Convert the value. `url` makes it absolute against the page URL (or its `<base href>`); `date` parses with `format` and `timezone` and gives an ISO 8601 UTC instant (`2024-01-31T09:30:00.000Z`); `number`/`integer` read `£1,234.50` or `1.234,50 €`, but other words around the number give null (use `regex`); `boolean` reads true/false/yes/no/1/0.
       */
      type?: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'url';
      /**
       * Input format of a `date` (Luxon tokens); ISO 8601 and RFC 2822 are read without one.
       */
      format?: string;
      /**
       * IANA time zone of a `date` that has no offset of its own. Default UTC.
       */
      timezone?: string;
      /**
       * `normalize` (the default for HTML text and attributes) trims and collapses runs of white space; `keep` leaves text as it is. JSON strings are kept as sent unless `normalize` is set.
       */
      whitespace?: 'normalize' | 'keep';
      /**
       * Value used when the field is missing, null, empty text or an empty list.
       */
      default?: unknown;
      /**
       * A record whose field is missing, null, empty text or an empty list is an extraction error (reported, the record is dropped).
       */
      required?: boolean;
      /**
       * Nested fields: the value becomes an object (a list of objects with `list: true`) scoped to the matched element or JSON value.
       */
      fields?: {
        [k: string]: Field;
      };
    };
/**
 * How to reach the next page. One strategy per collector, chosen by `type`.
 */
export type Pagination = (NextLinkPagination | PageNumberPagination | OffsetPagination | CursorPagination) & {
  /**
   * Strategy: `next-link`, `page-number`, `offset` or `cursor`.
   */
  type: 'next-link' | 'page-number' | 'offset' | 'cursor';
};

/**
 * One data source: where to start, how to page, what to extract, where the records go, and when it runs.
 */
export interface Collector {
  /**
   * Collector name; equals the file name without `.yaml`. Lower case, digits and dashes.
   */
  name: string;
  /**
   * What this collector collects, for reviewers.
   */
  description?: string;
  /**
   * Who answers for this collector (team or e-mail).
   */
  owner?: string;
  /**
   * Free labels, for search and cost reports.
   */
  tags?: string[];
  /**
   * Variables for `{{ NAME }}` templates in URLs, headers, query, body and output. Built in: `name`, `runId`, `date` (run date, yyyy-MM-dd).
   */
  variables?: {
    [k: string]: Variable;
  };
  /**
   * The seed requests of a run: start URLs, the page URLs of sitemaps, or both.
   */
  start: {
    /**
     * URL templates; each expands over every combination of the list, range and date variables it uses. Set this, `sitemaps`, or both.
     *
     * @minItems 1
     */
    urls?: [string, ...string[]];
    /**
     * Sitemaps whose page URLs are seeds: `sitemap.xml` files, sitemap index files (followed 3 levels deep) and gzipped ones (`.gz`). Each is a URL template, or an object with `match`, `as` and `since`. They are read when the run is planned. With `records.incremental`, a run takes only the pages whose `lastmod` is later than the newest `lastmod` an earlier run saw (pages without one are always taken).
     *
     * @minItems 1
     */
    sitemaps?: [string | SitemapSeed, ...(string | SitemapSeed)[]];
  };
  /**
   * How requests are made. Applies to seeds, next pages and detail pages.
   */
  request?: {
    /**
     * HTTP method. Default GET.
     */
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
    /**
     * Request headers (templates). Secrets go in as `${env:NAME}` or `${ssm:/path}`, never as literals.
     */
    headers?: {
      [k: string]: string;
    };
    /**
     * Query parameters added to every URL (templates).
     */
    query?: {
      [k: string]: string | number | boolean;
    };
    /**
     * Request body: `json` (sent as application/json) or `form` (application/x-www-form-urlencoded). Set one.
     */
    body?: {
      /**
       * JSON body; string values are templates.
       */
      json?: unknown;
      /**
       * Form fields (templates).
       */
      form?: {
        [k: string]: string | number | boolean;
      };
    };
    /**
     * Time allowed for one request, headers and body. Default 30.
     */
    timeoutSeconds?: number;
    /**
     * Retries of failed requests, with exponential backoff and full jitter; `Retry-After` (seconds or HTTP date) is honoured up to `maxDelaySeconds`.
     */
    retries?: {
      /**
       * Retries after the first try. Default 3.
       */
      attempts?: number;
      /**
       * Delay before the first retry; doubles each time. Default 0.5, at most 900.
       */
      baseDelaySeconds?: number;
      /**
       * Ceiling of one delay, `Retry-After` included: a site that asks for longer (in seconds or with a date, however far ahead) is tried again after this. Default 30, at most 900.
       */
      maxDelaySeconds?: number;
      /**
       * HTTP statuses that are retried. Default 408, 425, 429, 500, 502, 503, 504. Network errors and timeouts are always retried.
       */
      statuses?: number[];
    };
    /**
     * Non-2xx statuses that are accepted as an empty page instead of an error (a 404 for a missing date, say).
     */
    acceptStatuses?: number[];
    /**
     * Politeness per host.
     */
    rateLimit?: {
      /**
       * Requests per second to one host, at least 0.001 (one request every 1000 s). Default: no limit.
       */
      perSecond?: number;
      /**
       * Requests in flight to one host. Default 8.
       */
      concurrency?: number;
    };
    /**
     * User-Agent header. Default names this tool and its version.
     */
    userAgent?: string;
    /**
     * Largest response body accepted, after decompression. Default 10 MiB.
     */
    maxResponseBytes?: number;
    /**
     * Redirects followed per request; each hop passes the network guard. Default 10.
     */
    maxRedirects?: number;
    /**
     * How requests authenticate: exactly one of `basic`, `bearer`, `apiKey` or `oauth2`. Values are request text: secrets go in as `${env:NAME}` or `${ssm:/path}`, resolved when a request is made and redacted from everything the run writes.
     */
    auth?: {
      /**
       * HTTP Basic authentication: `Authorization: Basic base64(username:password)` on every request.
       */
      basic?: {
        /**
         * User name (request text).
         */
        username: string;
        /**
         * Password: `${env:NAME}` or `${ssm:/path}`, never a literal.
         */
        password: string;
      };
      /**
       * A bearer token: `Authorization: Bearer TOKEN` on every request. `${env:NAME}` or `${ssm:/path}`, never a literal.
       */
      bearer?: string;
      /**
       * An API key sent as a header or a query parameter on every request.
       */
      apiKey?: {
        /**
         * The header's or the query parameter's name.
         */
        name: string;
        /**
         * The key: `${env:NAME}` or `${ssm:/path}`, never a literal.
         */
        value: string;
        /**
         * Where the key goes. Default header.
         */
        in?: 'header' | 'query';
      };
      /**
       * OAuth 2.0 client credentials grant: a token is requested from `tokenUrl`, sent as `Authorization: Bearer`, kept until shortly before it expires (`expires_in`), and requested again once when a page answers 401.
       */
      oauth2?: {
        /**
         * The token endpoint: https (plain http only on a loopback address).
         */
        tokenUrl: string;
        /**
         * Client id (request text).
         */
        clientId: string;
        /**
         * Client secret: `${env:NAME}` or `${ssm:/path}`, never a literal.
         */
        clientSecret: string;
        /**
         * Scopes asked for, space-separated.
         */
        scope?: string;
        /**
         * The API the token is for, for providers that ask for one (Auth0 and others).
         */
        audience?: string;
        /**
         * How the client id and secret reach the token endpoint: `body` (form fields client_id and client_secret, the default) or `basic` (an Authorization: Basic header, RFC 6749 2.3.1).
         */
        clientAuth?: 'body' | 'basic';
      };
    };
    /**
     * An HTTP proxy every request goes through: an http or https URL, usually `${env:PROXY_URL}` or `${ssm:/path}` (it may hold credentials, redacted like any secret). The network guard still checks each target, and the proxy's own address.
     */
    proxy?: string;
    /**
     * Whether robots.txt is obeyed. `obey` (the default) fetches each host's robots.txt once per run with the collector's User-Agent, fails the pages it disallows, and honours its Crawl-delay; an unreachable robots.txt (5xx, network error) disallows the host for the run, a missing one (4xx) allows everything. `ignore` skips it: only where the site's terms allow.
     */
    robots?: 'obey' | 'ignore';
  };
  /**
   * Network guard. By default no request, redirect or resolved name may reach loopback, private, link-local or unique-local addresses; `allow` opens some. Cloud metadata endpoints are never reachable, whatever `allow` or `--allow-private-network` say: 169.254.169.254 and fd00:ec2::254 (instance metadata), 169.254.170.2 (ECS task metadata), 169.254.170.23 and fd00:ec2::23 (EKS Pod Identity), in any spelling, by name or through a redirect; `collect validate` refuses an `allow` range that covers one (0.0.0.0/0, 169.254.0.0/16, ::/0, fd00::/8, ...).
   */
  network?: {
    /**
     * Hosts, IP addresses or CIDR ranges that may be reached even though they are private. A range may not cover a cloud metadata endpoint.
     */
    allow?: string[];
  };
  /**
   * A login session: the cookies responses set, login steps run before the first page (and again when the session expires), and the values they take, used as `${session:NAME}` in `request.headers`, `request.query` and `request.body`. Without this block a run still keeps cookies. One session per run locally; per collector and run in each Lambda invocation. Cookie and session values are secrets: redacted from logs, errors, records and recordings.
   */
  session?: {
    /**
     * Keep the cookies responses set (redirects included) and send them with later requests to matching hosts. false: no cookie is kept or sent but those you write in a `Cookie` header (`take: { cookie: NAME }` still reads the cookies a login step sets). Default true.
     */
    cookies?: boolean;
    /**
     * Requests made in order before the crawl's first page, and again when a page shows the session has expired. Each may take values from its response for the steps after it and for the crawl's requests.
     *
     * @minItems 1
     */
    login?: [LoginStep, ...LoginStep[]];
    /**
     * How a page shows the session has expired; any one condition is enough. Then the steps of `login` run again, once however many pages saw it, and the page is fetched again. Two sessions in a row that expire before any page loads with them fail the page with `SessionExpiredError`, and no further login is tried in the run.
     */
    expired?: {
      /**
       * HTTP statuses that mean the session has expired.
       *
       * @minItems 1
       */
      statuses?: [number, ...number[]];
      /**
       * A regular expression: a page redirected to a URL it matches (the login page) has expired.
       */
      redirectTo?: string;
      /**
       * A CSS selector: a page on which it matches (a login form) has expired.
       */
      selector?: string;
    };
  };
  browser?: Browser;
  parse?: Parse;
  extract?: Extract;
  follow?: Follow;
  paginate?: Pagination;
  /**
   * Rules that find more pages to crawl on the start pages (a discovery crawl): each takes the links that match and fetches them as pages of the kind it names (`as`), each kind described under `pages`. A URL is fetched once per run, however many pages link to it.
   *
   * @minItems 1
   */
  discover?: [DiscoverRule, ...DiscoverRule[]];
  /**
   * The kinds of page a discovery crawl reaches, by name, each with its own `extract`, `paginate`, `follow` and `discover` rules. The start pages are the kind `start`: the collector's own top-level blocks.
   */
  pages?: {
    [k: string]: PageKind;
  };
  /**
   * What happens to records before they are written.
   */
  records?: {
    /**
     * Fields that identify a record; a record whose key was already written in this run is dropped.
     *
     * @minItems 1
     */
    dedupeKey?: [string, ...string[]];
    /**
     * Collect only what is new since the last run. The highest `cursorField` value is kept in a state store (a file under the output folder locally, an S3 object on AWS).
     */
    incremental?: {
      /**
       * A field that grows with newness (an id, a timestamp).
       */
      cursorField: string;
      /**
       * Stop the pagination chain at the first page that holds a record already seen. Default true.
       */
      stopWhenSeen?: boolean;
      /**
       * Send the high-water mark of the earlier runs with every listing request (the seed and its next pages; not detail pages), so the site returns only newer items. The mark is data, inserted as a value: never read as a template or a secret reference. Set `name`, or `path` for a field inside a JSON body.
       */
      param?: {
        /**
         * Name of the query parameter, header or top-level body field that carries the mark.
         */
        name?: string;
        /**
         * Where the mark goes: a query parameter, a header, or the request body (a JSON field, or a form field with a form body).
         */
        in?: 'query' | 'header' | 'body';
        /**
         * With `in: body`: a dot path into `request.body.json` where the mark is written, replacing the value there.
         */
        path?: string;
        /**
         * Sent on a run that has no mark yet (the first), as written. Without it such a run goes without the parameter.
         */
        initial?: string | number;
        /**
         * How a date mark is written: `iso` (the mark as stored: ISO 8601 in UTC for a date field, any other mark as it is), `unix` (seconds), `unix-ms` (milliseconds), or a Luxon format such as `yyyy-MM-dd` (in UTC). Default `iso`. In a JSON body, `unix`, `unix-ms` and a numeric mark go as numbers.
         */
        format?: string;
      };
    };
  };
  /**
   * Where the records go: `s3://bucket/prefix` (a template). Objects: `<prefix>/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz` and a `_manifest.json` per run. Locally the same layout below `--out`. On AWS the bucket is replaced by the project's bucket (COLLECT_BUCKET), and the prefix must start with fixed text, not a template (IAM grants write access to that fixed prefix only).
   */
  output: string;
  /**
   * When the collector runs on AWS (EventBridge Scheduler). A collector without a schedule gets no schedule and runs only on demand.
   */
  schedule?: {
    /**
     * `cron(min hour day-of-month month day-of-week year)` with `?` in one of the day fields, `rate(N minutes|hours|days)`, or `at(yyyy-mm-ddThh:mm:ss)`.
     */
    expression: string;
    /**
     * IANA time zone of a cron expression. Default UTC.
     */
    timezone?: string;
    /**
     * Let Scheduler start the run up to this many minutes late (spreads load). Default 0 (off).
     */
    flexibleWindowMinutes?: number;
    /**
     * Create the schedule disabled when false. Default true.
     */
    enabled?: boolean;
  };
  /**
   * How hard a source is hit on AWS: the SQS event source mapping of this collector.
   */
  scaling?: {
    /**
     * Tasks one invocation takes from the queue. Default 5.
     */
    batchSize?: number;
    /**
     * Seconds the queue may wait to fill a batch. Default 0.
     */
    batchingWindowSeconds?: number;
    /**
     * Invocations of this collector at once (2 to 1000). Default 2.
     */
    maxConcurrency?: number;
    /**
     * Pages of a next-link or cursor chain one task fetches before it hands the rest on as a continuation. Default 50.
     */
    pagesPerTask?: number;
  };
  /**
   * Ceilings every run has, so that no collector runs away: a site that links to a fresh page for ever, a page with a million items, a variable that expands to a million seeds. A run that reaches `maxPages` stops fetching and ends failed with a warning in its manifest (locally, `collect run` exits 1); a page over `maxItemsPerPage` fails on its own, with an error report, and the run goes on; a collector whose seeds would exceed `maxSeeds` does not validate. `collect explain` shows them.
   */
  limits?: {
    /**
     * Pages a run may fetch in all (listing, detail and continuation pages, on every invocation). Default 100000.
     */
    maxPages?: number;
    /**
     * Items one page may yield (matches of `extract.items`); a page with more fails on its own, before its items are extracted. Default 10000.
     */
    maxItemsPerPage?: number;
    /**
     * Seed URLs a run may start from (every combination of the list, range and date variables the start URLs use, counted without expanding them): `collect validate` refuses a collector with more, and so does a run, before it plans any. Default 10000.
     */
    maxSeeds?: number;
  };
  /**
   * What a healthy run looks like. A run below it fails (no silent empty output).
   */
  expect?: {
    /**
     * Fewest records a full run must write.
     */
    minRecords?: number;
    /**
     * Per field, the least share (0 to 1) of records in which it is present and not empty.
     */
    fillRate?: {
      [k: string]: number;
    };
    /**
     * Per field, the JSON type its non-null values must have.
     */
    types?: {
      [k: string]: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
    };
  };
}
/**
 * A sitemap with options for the page URLs it lists.
 */
export interface SitemapSeed {
  /**
   * URL template of the sitemap or sitemap index.
   */
  url: string;
  /**
   * Regular expression (JavaScript syntax) a page URL must match to be a seed.
   */
  match?: string;
  /**
   * The kind of page its URLs are: `start` (default) or a name under `pages`.
   */
  as?: string;
  /**
   * Only pages whose `lastmod` is later than this date or date-time (pages without `lastmod` are always taken).
   */
  since?: string;
}
/**
 * One request of a login. Headers, query and body are request text: `{{ NAME }}` takes a constant, `${env:NAME}` / `${ssm:/path}` a secret (credentials are never literals), `${session:NAME}` a value an earlier step took.
 */
export interface LoginStep {
  /**
   * Absolute URL (a template of constants and built-ins).
   */
  url: string;
  /**
   * HTTP method. Default GET.
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Request headers (request text).
   */
  headers?: {
    [k: string]: string;
  };
  /**
   * Query parameters (request text).
   */
  query?: {
    [k: string]: string | number | boolean;
  };
  /**
   * Request body: `json` (sent as application/json) or `form` (application/x-www-form-urlencoded). Set one.
   */
  body?: {
    /**
     * JSON body; string values are request text.
     */
    json?: unknown;
    /**
     * Form fields (request text).
     */
    form?: {
      [k: string]: string | number | boolean;
    };
  };
  /**
   * Values taken from the step's response, by name, for `${session:NAME}`: each from one source.
   */
  take?: {
    [k: string]: SessionTake;
  };
}
/**
 * Where a session value comes from: one of `selector` (HTML, with `attr`), `path` (JMESPath in JSON), `header`, `cookie` or `regex` (on the body).
 */
export interface SessionTake {
  /**
   * CSS selector of the first matching element of an HTML response; its text, or `attr`.
   */
  selector?: string;
  /**
   * Attribute of the `selector` element to take instead of its text.
   */
  attr?: string;
  /**
   * JMESPath into a JSON response; a string, number or boolean.
   */
  path?: string;
  /**
   * Response header (any case).
   */
  header?: string;
  /**
   * Cookie set during the step (its redirects included).
   */
  cookie?: string;
  /**
   * Regular expression on the body; its first group, or the whole match.
   */
  regex?: string;
}
/**
 * Load the pages in headless Chromium and extract from the rendered DOM, for sites whose items are built by script: the same fields, selectors, pagination and follow rules as HTML pages. Only the collector's pages are rendered (robots.txt, logins and tokens stay plain HTTP requests); its cookies and headers from the session and auth steps go with them. Every request the browser makes (documents, scripts, XHR, redirects) passes the network guard, and `request.rateLimit` applies to the page loads. The user agent is `request.userAgent`. Needs Chromium: `apt-get install chromium` locally (or COLLECT_CHROMIUM_PATH); on AWS the collector runs on the browser function.
 */
export interface Browser {
  /**
   * When a rendered page is ready to be read: after its load event, then a selector, then a fixed time, all within `timeoutSeconds`. A page that does not get there fails on its own, with the condition named.
   */
  wait?: {
    /**
     * The load event to wait for: `load` (every resource of the document), `domcontentloaded` (the HTML parsed) or `networkidle` (no request for 500 ms). Default load.
     */
    until?: 'load' | 'domcontentloaded' | 'networkidle';
    /**
     * CSS selector that must match an element before the page is read: usually `extract.items`. Without it the page is read at its load event.
     */
    selector?: string;
    /**
     * A fixed wait after the load event and the selector, for pages that keep changing. Default 0, at most 30.
     */
    seconds?: number;
    /**
     * Ceiling of the whole wait (load event, selector and fixed wait together). Default 30, at most 120.
     */
    timeoutSeconds?: number;
  };
  /**
   * Infinite scroll: scroll to the bottom until no new items appear (matches of `extract.items`, or the page height without it) or `maxScrolls` is reached; then the page is read once, with every item loaded.
   */
  scroll?: {
    /**
     * Scrolls at most. Default 20, at most 1000.
     */
    maxScrolls?: number;
    /**
     * How long new items may take to appear after a scroll; none within it ends the scrolling. Default 2, at most 30.
     */
    settleSeconds?: number;
  };
  /**
   * A "load more" button: click it until it is gone or disabled, no new items appear, or `maxClicks` is reached; then the page is read once. (After `scroll`, when both are set.)
   */
  click?: {
    /**
     * CSS selector of the element to click.
     */
    selector: string;
    /**
     * Clicks at most. Default 20, at most 1000.
     */
    maxClicks?: number;
    /**
     * How long new items may take to appear after a click; none within it ends the clicking. Default 2, at most 30.
     */
    settleSeconds?: number;
  };
  /**
   * Kinds of resources the browser does not load, to save time and memory. Default image, font, media; `[]` loads everything.
   */
  block?: ('image' | 'font' | 'media' | 'stylesheet')[];
  /**
   * Size of the browser window in CSS pixels; some sites load more items on a taller one. Default 1280 x 800.
   */
  viewport?: {
    /**
     * Width in CSS pixels. Default 1280.
     */
    width?: number;
    /**
     * Height in CSS pixels. Default 800.
     */
    height?: number;
  };
}
/**
 * What to take from a page. Optional for a collector whose start pages only lead to other pages (`discover`).
 */
export interface Extract {
  /**
   * The repeated items; each item becomes a record. A CSS selector (HTML, XML), an XPath starting with `/` (XML) or a JMESPath (JSON, CSV rows, `embedded` data). Omit it to make the whole page one record; on a CSV page every row is then an item.
   */
  items?: string;
  /**
   * CSS selector: each item is the element `items` matches plus the sibling elements after it, up to the first that matches this one (the next item ends it in any case). Field selectors then select in each element of the group and below. For a site that spreads one item over sibling rows: `items: tr.athing` with `itemUntil: tr.athing`. HTML and XML.
   */
  itemUntil?: string;
  /**
   * Each item is the element `items` matches plus this many sibling elements after it (fewer when the next item comes first). Field selectors then select in each element of the group and below. HTML and XML.
   */
  itemSiblings?: number;
  /**
   * Take the records from JSON embedded in an HTML page rather than from its elements: `items` and `fields` are then JMESPath over that data, as on a JSON page. Set `json` or `jsonld`.
   */
  embedded?: {
    /**
     * CSS selector of the elements holding the data; the first that gives data is used. Default: every `<script>` (with `jsonld`: every `<script type="application/ld+json">`).
     */
    selector?: string;
    /**
     * Regular expression applied to the element's text before it is read as JSON; the first capture group (or the whole match) is kept.
     */
    regex?: string;
    /**
     * As the field option `json`: `true` reads the text as JSON (or the first `{...}`/`[...]` in it), a name reads the object or array assigned to that JavaScript variable or property.
     */
    json?: boolean | string;
    /**
     * As the field option `jsonld`: the page's JSON-LD nodes (`true`), or the nodes of one `@type`.
     */
    jsonld?: boolean | string;
  };
  /**
   * Column separator of a CSV page: one character. Default: a comma, unless the header row is separated by `;`, `|` or tabs; a tab with `parse: tsv`.
   */
  delimiter?: string;
  /**
   * Record fields by name.
   */
  fields: {
    [k: string]: Field;
  };
}
/**
 * Fetch a detail page for each record and merge its fields into the record.
 */
export interface Follow {
  /**
   * Field of the record that holds the link (it is made absolute). Set this or `selector`.
   */
  field?: string;
  /**
   * CSS selector inside the item whose `attribute` holds the link (HTML). Set this or `field`.
   */
  selector?: string;
  /**
   * Attribute of the `selector` element with the link. Default `href`.
   */
  attribute?: string;
  parse?: Parse;
  /**
   * Fields taken from the detail page and merged into the record (detail fields win).
   */
  extract: {
    /**
     * Record fields by name.
     */
    fields: {
      [k: string]: Field;
    };
  };
  follow?: Follow;
  /**
   * How many levels of `follow` may nest. Default 3.
   */
  maxDepth?: number;
  /**
   * Hosts a followed link may point to. Default: the host of the page it was found on.
   */
  allowedHosts?: string[];
}
/**
 * Follow a link to the next page, from an HTML element, a JSON field or the HTTP `Link` header (rel="next"). Set exactly one of `selector`, `path`, `linkHeader`.
 */
export interface NextLinkPagination {
  /**
   * Strategy name.
   */
  type: 'next-link';
  /**
   * CSS selector of the element holding the next URL (HTML).
   */
  selector?: string;
  /**
   * Attribute of that element holding the URL. Default `href`.
   */
  attribute?: string;
  /**
   * JMESPath to the next URL in a JSON response.
   */
  path?: string;
  /**
   * Use the `rel="next"` entry of the HTTP `Link` header (GitHub, many REST APIs).
   */
  linkHeader?: boolean;
  stop?: Stop;
}
/**
 * Stop rules for a pagination chain. The safety rails (a repeated URL, cursor or identical page ends the chain with a warning) are always on and need no setting.
 */
export interface Stop {
  /**
   * Stop when a page yields no items. Default true.
   */
  emptyPage?: boolean;
  /**
   * JMESPath to the total number of items in the response; the chain stops once that many items were seen. JSON only.
   */
  totalPath?: string;
  /**
   * JMESPath to a has-more flag in each JSON response. The chain goes on only while it reads `true`, a number above 0 or the string "true"; anything else (false, 0, null, a missing value) ends it after this page, and no further page is requested. JSON only.
   */
  hasMore?: string;
  /**
   * The inverse of `hasMore`: JMESPath to a last-page flag in each JSON response. The chain ends after a page where it reads `true`, a number above 0 or the string "true"; any other value, or none, does not stop it. JSON only.
   */
  done?: string;
  /**
   * Stop after this many pages of the chain (the first page counts).
   */
  maxPages?: number;
}
/**
 * Count pages: 1, 2, 3, ... in a query parameter or URL variable.
 */
export interface PageNumberPagination {
  /**
   * Strategy name.
   */
  type: 'page-number';
  /**
   * Name of the query parameter, header, body field or URL variable that holds the page number. Default `page`.
   */
  param?: string;
  /**
   * Where the next token or number goes in the following request: a query parameter, a header, a field of the JSON body, or a template variable of the URL (`{{ NAME }}` in the start URL).
   */
  in?: 'query' | 'header' | 'body' | 'path';
  /**
   * With `in: body`: a dot path into `request.body.json` where the page number is written for each page, replacing the value there (GraphQL variables, say). What the strategy sends beside it (a page size, a limit) goes in the same object, under its own name. The value is inserted as JSON data, never read as a template.
   */
  path?: string;
  /**
   * Number of the first page. Default 1.
   */
  start?: number;
  /**
   * Optional page-size parameter sent with every request.
   */
  pageSize?: {
    /**
     * Parameter name.
     */
    param: string;
    /**
     * Items per page.
     */
    value: number;
  };
  /**
   * JMESPath to the total number of pages in the first response. When set, the remaining pages are known up front and fan out as separate tasks instead of a chain.
   */
  totalPagesPath?: string;
  stop?: Stop;
}
/**
 * Offset and limit: offset 0, limit N; offset N, limit N; ...
 */
export interface OffsetPagination {
  /**
   * Strategy name.
   */
  type: 'offset';
  /**
   * Name of the offset parameter. Default `offset`.
   */
  offsetParam?: string;
  /**
   * Name of the limit parameter. Default `limit`.
   */
  limitParam?: string;
  /**
   * Items per page.
   */
  limit: number;
  /**
   * First offset. Default 0.
   */
  start?: number;
  /**
   * Where the next token or number goes in the following request: a query parameter, a header, a field of the JSON body, or a template variable of the URL (`{{ NAME }}` in the start URL).
   */
  in?: 'query' | 'header' | 'body' | 'path';
  /**
   * With `in: body`: a dot path into `request.body.json` where the offset is written for each page, replacing the value there (GraphQL variables, say). What the strategy sends beside it (a page size, a limit) goes in the same object, under its own name. The value is inserted as JSON data, never read as a template.
   */
  path?: string;
  stop?: Stop;
}
/**
 * A token from each response that asks for the next page (cursor, continuation token, `after`).
 */
export interface CursorPagination {
  /**
   * Strategy name.
   */
  type: 'cursor';
  /**
   * JMESPath to the next token in the JSON response. Set this or `tokenHeader`.
   */
  tokenPath?: string;
  /**
   * Response header that carries the next token.
   */
  tokenHeader?: string;
  /**
   * Name under which the token is sent in the next request. Needed unless `in: body` with `path` says where it goes.
   */
  param?: string;
  /**
   * Where the next token or number goes in the following request: a query parameter, a header, a field of the JSON body, or a template variable of the URL (`{{ NAME }}` in the start URL).
   */
  in?: 'query' | 'header' | 'body' | 'path';
  /**
   * With `in: body`: a dot path into `request.body.json` where the token (the first request keeps the value the author wrote, a null cursor say) is written for each page, replacing the value there (GraphQL variables, say). What the strategy sends beside it (a page size, a limit) goes in the same object, under its own name. The value is inserted as JSON data, never read as a template.
   */
  path?: string;
  stop?: Stop;
}
/**
 * One discovery rule: which links of a page lead to pages of which kind.
 */
export interface DiscoverRule {
  /**
   * CSS selector of the elements whose `attribute` holds a link (HTML pages). Default `a[href]`: every link of the page.
   */
  links?: string;
  /**
   * Attribute of those elements with the URL. Default `href`.
   */
  attribute?: string;
  /**
   * Regular expressions (JavaScript syntax): a link is taken when its absolute URL (without `#fragment`) matches at least one. Default: every link.
   *
   * @minItems 1
   */
  allow?: [string, ...string[]];
  /**
   * Regular expressions: a link whose absolute URL matches any of them is left out, even when `allow` takes it.
   *
   * @minItems 1
   */
  deny?: [string, ...string[]];
  /**
   * Only links to the host of the page they are on. Default true.
   */
  sameHost?: boolean;
  /**
   * How many links away from a start page this rule reaches: start pages are depth 0, and a link found on a page of depth d is taken when d + 1 is at most this. Default 3.
   */
  maxDepth?: number;
  /**
   * The kind of page the links lead to: `start` or a name under `pages`. Default: the kind of the page the rule is on.
   */
  as?: string;
}
/**
 * A kind of page a discovery crawl reaches: how it is read, what it yields and where it leads. A kind without `extract` yields no records; its rules still discover.
 */
export interface PageKind {
  parse?: Parse;
  extract?: Extract;
  paginate?: Pagination;
  follow?: Follow;
  browser?: Browser1;
  /**
   * Rules that find more pages on pages of this kind.
   *
   * @minItems 1
   */
  discover?: [DiscoverRule, ...DiscoverRule[]];
}
/**
 * Load the pages in headless Chromium and extract from the rendered DOM, for sites whose items are built by script: the same fields, selectors, pagination and follow rules as HTML pages. Only the collector's pages are rendered (robots.txt, logins and tokens stay plain HTTP requests); its cookies and headers from the session and auth steps go with them. Every request the browser makes (documents, scripts, XHR, redirects) passes the network guard, and `request.rateLimit` applies to the page loads. The user agent is `request.userAgent`. Needs Chromium: `apt-get install chromium` locally (or COLLECT_CHROMIUM_PATH); on AWS the collector runs on the browser function.
 */
export interface Browser1 {
  /**
   * When a rendered page is ready to be read: after its load event, then a selector, then a fixed time, all within `timeoutSeconds`. A page that does not get there fails on its own, with the condition named.
   */
  wait?: {
    /**
     * The load event to wait for: `load` (every resource of the document), `domcontentloaded` (the HTML parsed) or `networkidle` (no request for 500 ms). Default load.
     */
    until?: 'load' | 'domcontentloaded' | 'networkidle';
    /**
     * CSS selector that must match an element before the page is read: usually `extract.items`. Without it the page is read at its load event.
     */
    selector?: string;
    /**
     * A fixed wait after the load event and the selector, for pages that keep changing. Default 0, at most 30.
     */
    seconds?: number;
    /**
     * Ceiling of the whole wait (load event, selector and fixed wait together). Default 30, at most 120.
     */
    timeoutSeconds?: number;
  };
  /**
   * Infinite scroll: scroll to the bottom until no new items appear (matches of `extract.items`, or the page height without it) or `maxScrolls` is reached; then the page is read once, with every item loaded.
   */
  scroll?: {
    /**
     * Scrolls at most. Default 20, at most 1000.
     */
    maxScrolls?: number;
    /**
     * How long new items may take to appear after a scroll; none within it ends the scrolling. Default 2, at most 30.
     */
    settleSeconds?: number;
  };
  /**
   * A "load more" button: click it until it is gone or disabled, no new items appear, or `maxClicks` is reached; then the page is read once. (After `scroll`, when both are set.)
   */
  click?: {
    /**
     * CSS selector of the element to click.
     */
    selector: string;
    /**
     * Clicks at most. Default 20, at most 1000.
     */
    maxClicks?: number;
    /**
     * How long new items may take to appear after a click; none within it ends the clicking. Default 2, at most 30.
     */
    settleSeconds?: number;
  };
  /**
   * Kinds of resources the browser does not load, to save time and memory. Default image, font, media; `[]` loads everything.
   */
  block?: ('image' | 'font' | 'media' | 'stylesheet')[];
  /**
   * Size of the browser window in CSS pixels; some sites load more items on a taller one. Default 1280 x 800.
   */
  viewport?: {
    /**
     * Width in CSS pixels. Default 1280.
     */
    width?: number;
    /**
     * Height in CSS pixels. Default 800.
     */
    height?: number;
  };
}
