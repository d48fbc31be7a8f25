// The starting point of a new collector: every block a collector usually
// needs, commented, with the schema line that gives editors completion and
// hover help. It validates as written, so the first `collect validate` passes.

export interface NewCollectorOptions {
  name: string;
  /** A page of the source; its origin becomes `base_url`, the rest the start path. */
  url?: string;
  parse?: 'html' | 'json';
  /** Relative path from the new file to schemas/collector.schema.json. */
  schemaPath: string;
}

const COLLECTOR_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

class NewCollectorError extends Error {
  override readonly name = 'NewCollectorError';
}

export function collectorTemplate(o: NewCollectorOptions): string {
  if (!COLLECTOR_NAME.test(o.name))
    throw new NewCollectorError(
      `"${o.name}" is not a collector name: lower case letters, digits and dashes, starting with a letter or digit, at most 63 characters`,
    );
  const parse = o.parse ?? 'html';
  const { base, path } = splitUrl(o.url, parse);
  const q = (s: string) => JSON.stringify(s);
  const head = `# yaml-language-server: $schema=${o.schemaPath}
# A collector: where to start, how to page, what to extract, where records go.
# Check it:     npx collect validate collectors/${o.name}.yaml
# Try a page:   npx collect try collectors/${o.name}.yaml
# Record tests: npx collect record collectors/${o.name}.yaml --max-pages 2
name: ${o.name}
description: What this collector collects, for reviewers.
owner: data-team@example.com

variables:
  # Tests can point this at a local copy of the site: --var base_url=http://127.0.0.1:8080
  base_url: ${q(base)}

start:
  urls:
    - ${q(`{{ base_url }}${path}`)}

request:
  headers:
    Accept: ${parse === 'json' ? 'application/json' : 'text/html'}
  # Be polite: requests per second and requests in flight, per host.
  rateLimit:
    perSecond: 2
    concurrency: 2

parse: ${parse}
`;
  const body =
    parse === 'json'
      ? `
extract:
  # JMESPath to the list of items; each item becomes a record.
  items: "items[]"
  fields:
    id:
      path: id
      type: integer
      required: true
    name: name
    updated_at:
      path: updated_at
      type: date

# How to reach the next page; see the schema for page-number, offset and cursor.
# paginate:
#   type: next-link
#   path: next
#   stop:
#     maxPages: 50

# Drop a record whose key this run has already written (records without a key are kept).
# The run's summary and manifest count what was dropped.
# records:
#   dedupeKey: [id]
`
      : `
extract:
  # CSS selector of the repeated items; each item becomes a record.
  items: article
  fields:
    title:
      selector: h2
      required: true
    url:
      selector: a
      attr: href
      type: url

# How to reach the next page; see the schema for page-number, offset and cursor.
# paginate:
#   type: next-link
#   selector: a[rel=next]
#   stop:
#     maxPages: 50

# Fetch each record's own page and add its fields.
# follow:
#   field: url
#   extract:
#     fields:
#       body: main

# Drop a record whose key this run has already written (records without a key are kept).
# The run's summary and manifest count what was dropped.
# records:
#   dedupeKey: [url]
`;
  const tail = `
# Records land here as gzipped JSON Lines: <prefix>/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz
output: s3://my-data-lake/raw/{{ name }}

# When it runs on AWS (EventBridge Scheduler); without a schedule it runs on demand.
# schedule:
#   expression: cron(0 6 * * ? *)
#   timezone: UTC

# What a healthy run looks like; a run below it fails loudly.
expect:
  minRecords: 1
  fillRate:
    ${parse === 'json' ? 'id' : 'title'}: 1
`;
  return head + body + tail;
}

function splitUrl(url: string | undefined, parse: 'html' | 'json'): { base: string; path: string } {
  if (!url) return { base: parse === 'json' ? 'https://api.example.com' : 'https://example.com', path: parse === 'json' ? '/items' : '/' };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NewCollectorError(`--url ${url} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new NewCollectorError(`--url ${url}: only http and https URLs can be collected`);
  return { base: u.origin, path: `${u.pathname}${u.search}` };
}
