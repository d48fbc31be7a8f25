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
 * How a response is read: `html`, `json`, or `auto` (by its Content-Type). Default auto.
 */
export type Parse = 'auto' | 'html' | 'json';
/**
 * One field of a record. A string is a shorthand: a CSS selector whose text is taken (HTML) or a JMESPath (JSON). An object gives every option.
 */
export type Field =
  | string
  | {
      /**
       * CSS selector, relative to the item (HTML). Omit it to use the item element itself.
       */
      selector?: string;
      /**
       * JMESPath, relative to the item (JSON).
       */
      path?: string;
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
   * The seed requests of a run.
   */
  start: {
    /**
     * URL templates; each expands over every combination of the list, range and date variables it uses.
     *
     * @minItems 1
     */
    urls: [string, ...string[]];
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
  parse?: Parse;
  extract: Extract;
  follow?: Follow;
  paginate?: Pagination;
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
 * What to take from a page.
 */
export interface Extract {
  /**
   * Selector (HTML) or JMESPath (JSON) of the repeated items; each item becomes a record. Omit it to make the whole page one record.
   */
  items?: string;
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
   * Name under which the token is sent in the next request.
   */
  param: string;
  /**
   * Where the next token or number goes in the following request: a query parameter, a header, a field of the JSON body, or a template variable of the URL (`{{ NAME }}` in the start URL).
   */
  in?: 'query' | 'header' | 'body' | 'path';
  stop?: Stop;
}
