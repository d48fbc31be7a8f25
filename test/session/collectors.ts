// Collectors of the login site (test/helpers/login-site.ts) for the session tests:
// the HTML site behind a form login with a CSRF token, and its JSON API behind a
// token login whose token goes in a header as `${session:token}`.
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import type { LoginSite } from '../helpers/login-site.ts';

/** The environment a run needs: the credentials, as `${env:...}` reads them. */
export function credentials(site: LoginSite, password = site.password): Record<string, string> {
  return { SITE_USER: site.user, SITE_PASSWORD: password };
}

export function membersCollector(site: LoginSite, over: Partial<Collector> = {}): Collector {
  return {
    name: 'members',
    variables: { base_url: site.url },
    start: { urls: ['{{ base_url }}/items?page=1'] },
    session: {
      login: [
        { url: '{{ base_url }}/login', take: { csrf: { selector: 'input[name=csrf]', attr: 'value' } } },
        {
          url: '{{ base_url }}/login',
          method: 'POST',
          body: { form: { csrf: '${session:csrf}', username: '${env:SITE_USER}', password: '${env:SITE_PASSWORD}' } },
        },
      ],
      expired: { redirectTo: '/login' },
    },
    parse: 'html',
    extract: {
      items: 'li.item',
      fields: { title: { selector: 'a', required: true }, url: { selector: 'a', attr: 'href', type: 'url' } },
    },
    follow: { field: 'url', extract: { fields: { price: '.price' } } },
    paginate: { type: 'next-link', selector: 'a.next' },
    request: { rateLimit: { perSecond: 1000, concurrency: 2 }, retries: { attempts: 0 } },
    output: 's3://test-bucket/raw/{{ name }}',
    ...over,
  };
}

export function apiCollector(site: LoginSite, over: Partial<Collector> = {}): Collector {
  return {
    name: 'members-api',
    variables: { base_url: site.url },
    start: { urls: ['{{ base_url }}/api/items?page=1'] },
    session: {
      login: [
        {
          url: '{{ base_url }}/api/login',
          method: 'POST',
          body: { json: { username: '${env:SITE_USER}', password: '${env:SITE_PASSWORD}' } },
          take: { token: { path: 'token' } },
        },
      ],
      expired: { statuses: [401] },
    },
    request: {
      headers: { Authorization: 'Bearer ${session:token}' },
      rateLimit: { perSecond: 1000, concurrency: 2 },
      retries: { attempts: 0 },
    },
    parse: 'json',
    extract: { items: 'items', fields: { id: { path: 'id', type: 'integer', required: true }, title: 'title' } },
    paginate: { type: 'page-number', param: 'page' },
    output: 's3://test-bucket/raw/{{ name }}',
    ...over,
  };
}

/** The members collector as a file: `base_url` is set with `--var` (a recording keeps it). */
export const MEMBERS_YAML = `name: members
variables:
  base_url: https://members.example.com
start:
  urls: ["{{ base_url }}/items?page=1"]
session:
  login:
    - url: "{{ base_url }}/login"
      take:
        csrf: { selector: "input[name=csrf]", attr: value }
    - url: "{{ base_url }}/login"
      method: POST
      body:
        form: { csrf: "\${session:csrf}", username: "\${env:SITE_USER}", password: "\${env:SITE_PASSWORD}" }
  expired: { redirectTo: /login }
parse: html
extract:
  items: li.item
  fields:
    title: { selector: a, required: true }
    url: { selector: a, attr: href, type: url }
follow:
  field: url
  extract:
    fields: { price: .price }
paginate: { type: next-link, selector: a.next }
request:
  rateLimit: { perSecond: 1000, concurrency: 2 }
output: s3://test-bucket/raw/{{ name }}
`;
