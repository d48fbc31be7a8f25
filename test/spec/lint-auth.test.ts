// Lint of request.auth, request.proxy and request.robots: literal credentials,
// run-wide placeholders, the token endpoint's scheme, the proxy's URL, headers
// the auth replaces, and robots.txt ignored on purpose. Exact messages and positions.
import { describe, expect, it } from 'vitest';
import { check, doc } from './helpers.ts';

const LITERAL_HINT = '(write ${env:NAME} (an environment variable) or ${ssm:/path} (an SSM parameter), read when the run starts)';

describe('request.auth', () => {
  it('passes references, constants and {{ name }}', () => {
    const text = doc(
      'variables:',
      '  auth_url: https://auth.example.com',
      'request:',
      '  auth:',
      '    oauth2:',
      '      tokenUrl: "{{ auth_url }}/oauth/token"',
      '      clientId: "${env:CLIENT_ID}"',
      '      clientSecret: "${ssm:/collect/{{ name }}/secret}"',
      '      scope: read',
    );
    expect(check(text)).toEqual([]);
    expect(check(doc('request:', '  auth:', '    basic: { username: reader, password: "${env:PASSWORD}" }'))).toEqual([]);
    expect(check(doc('request:', '  auth:', '    apiKey: { name: X-Api-Key, value: "${env:KEY}" }'))).toEqual([]);
  });

  it('refuses a literal credential in each kind, at its value', () => {
    expect(check(doc('request:', '  auth:', '    bearer: abc123'))).toEqual([
      `collectors/t.yaml:13:13 error request.auth.bearer: literal secret in request.auth.bearer: put it in \${env:…} ${LITERAL_HINT}`,
    ]);
    expect(check(doc('request:', '  auth:', '    basic: { username: bob, password: hunter2 }'))).toEqual([
      `collectors/t.yaml:13:39 error request.auth.basic.password: literal secret in request.auth.basic.password: put it in \${env:…} ${LITERAL_HINT}`,
    ]);
    expect(check(doc('request:', '  auth:', '    apiKey: { name: api_key, value: k-123, in: query }'))).toEqual([
      `collectors/t.yaml:13:37 error request.auth.apiKey.value: literal secret in request.auth.apiKey.value: put it in \${env:…} ${LITERAL_HINT}`,
    ]);
    expect(check(doc('request:', '  auth:', '    oauth2: { tokenUrl: "https://a.example/t", clientId: c, clientSecret: s3cr3t }'))).toEqual(
      [
        `collectors/t.yaml:13:75 error request.auth.oauth2.clientSecret: literal secret in request.auth.oauth2.clientSecret: put it in \${env:…} ${LITERAL_HINT}`,
      ],
    );
  });

  it('says the bearer is the token alone', () => {
    expect(check(doc('request:', '  auth:', '    bearer: "Bearer ${env:T}"'))).toEqual([
      'collectors/t.yaml:13:13 error request.auth.bearer: bearer is the token alone: the "Bearer " before it is added when the request is sent (write bearer: "${env:T}")',
    ]);
  });

  it('refuses an empty value', () => {
    expect(check(doc('request:', '  auth:', '    apiKey: { name: "", value: "${env:K}" }'))).toEqual([
      'collectors/t.yaml:13:21 error request.auth.apiKey.name: name is empty (write the header or query parameter, e.g. X-Api-Key)',
    ]);
  });

  it('refuses a placeholder only a task can fill: credentials are resolved once per run', () => {
    const text = doc(
      'variables:',
      '  tenant: { values: [a, b] }',
      'request:',
      '  auth:',
      '    basic: { username: "{{ tenant }}", password: "${env:P}" }',
    );
    expect(check(text)).toEqual([
      'collectors/t.yaml:15:25 error request.auth.basic.username: {{ tenant }} cannot be used here: credentials and the proxy are resolved once per run, before any task (use {{ name }}, a variable with a single value, or a ${env:…} / ${ssm:…} reference)',
    ]);
  });

  it('wants an https token endpoint, plain http only on loopback', () => {
    const oauth = (url: string) => doc('request:', '  auth:', `    oauth2: { tokenUrl: "${url}", clientId: c, clientSecret: "\${env:S}" }`);
    expect(check(oauth('http://auth.example.com/token'))).toEqual([
      'collectors/t.yaml:13:25 error request.auth.oauth2.tokenUrl: tokenUrl must be https: the client secret is sent to it (http://auth.example.com is not) (use https://…; plain http only for a loopback address (a local test server))',
    ]);
    expect(check(oauth('http://127.0.0.1:8080/token'))).toEqual([]);
    expect(check(oauth('http://localhost:8080/token'))).toEqual([]);
    expect(check(oauth('http://[::1]:8080/token'))).toEqual([]);
    expect(check(oauth('${env:TOKEN_URL}'))).toEqual([]);
    expect(check(oauth('not a url'))).toEqual([
      'collectors/t.yaml:13:25 error request.auth.oauth2.tokenUrl: tokenUrl "not a url" is not a URL (write https://auth.example.com/oauth/token)',
    ]);
  });

  it('judges a token endpoint through the constants that make it', () => {
    const text = doc(
      'variables:',
      '  auth_url: http://auth.example.com',
      'request:',
      '  auth:',
      '    oauth2: { tokenUrl: "{{ auth_url }}/token", clientId: c, clientSecret: "${env:S}" }',
    );
    expect(check(text)).toEqual([
      'collectors/t.yaml:15:25 error request.auth.oauth2.tokenUrl: tokenUrl must be https: the client secret is sent to it (http://auth.example.com is not) (use https://…; plain http only for a loopback address (a local test server))',
    ]);
  });

  it('warns of a header or query parameter the auth replaces, at its key', () => {
    const text = doc(
      'request:',
      '  headers: { Authorization: "Bearer ${env:OLD}", Accept: text/html }',
      '  query: { key: "${env:K}" }',
      '  auth:',
      '    bearer: "${env:T}"',
    );
    expect(check(text)).toEqual([
      'collectors/t.yaml:12:14 warning request.headers.Authorization: header "Authorization" is replaced by request.auth on every request (remove it: request.auth sends the credentials)',
    ]);
    const query = doc('request:', '  query: { key: "${env:K}" }', '  auth:', '    apiKey: { name: key, value: "${env:K}", in: query }');
    expect(check(query)).toEqual([
      'collectors/t.yaml:12:12 warning request.query.key: query parameter "key" is replaced by request.auth.apiKey on every request (remove it: request.auth sends the key)',
    ]);
  });

  it('wants exactly one kind (the schema)', () => {
    expect(check(doc('request:', '  auth: { bearer: "${env:T}", apiKey: { name: a, value: "${env:K}" } }'))).toEqual([
      'collectors/t.yaml:12:9 error request.auth: set exactly one of: basic, bearer, apiKey, oauth2; found bearer, apiKey',
    ]);
  });
});

describe('request.proxy', () => {
  it('passes a reference, and an http URL whose password is one', () => {
    expect(check(doc('request:', '  proxy: "${env:PROXY_URL}"'))).toEqual([]);
    expect(check(doc('request:', '  proxy: "http://user:${env:PROXY_PASSWORD}@proxy.example.com:3128"'))).toEqual([]);
  });

  it('must be an http or https URL', () => {
    expect(check(doc('request:', '  proxy: socks5://proxy.example.com:1080'))).toEqual([
      'collectors/t.yaml:12:10 error request.proxy: proxy must be an http or https URL, not socks5: (write http://proxy.example.com:3128, or ${env:PROXY_URL})',
    ]);
    expect(check(doc('request:', '  proxy: proxy.example.com'))).toEqual([
      'collectors/t.yaml:12:10 error request.proxy: proxy must be an http or https URL (write http://proxy.example.com:3128, or ${env:PROXY_URL})',
    ]);
  });

  it('refuses literal credentials, pointing at them', () => {
    expect(check(doc('request:', '  proxy: http://bob:hunter2@proxy.example.com:3128'))).toEqual([
      'collectors/t.yaml:12:17 error request.proxy: literal credentials in request.proxy (write http://user:${env:PROXY_PASSWORD}@host:port, or ${env:PROXY_URL})',
    ]);
  });
});

describe('request.robots', () => {
  it('warns (not an error) when robots.txt is ignored, pointing at the site terms', () => {
    expect(check(doc('request:', '  robots: ignore'))).toEqual([
      "collectors/t.yaml:12:11 warning request.robots: robots.txt is ignored: pages it disallows are fetched, and its Crawl-delay is not honoured (keep it only where the site's terms allow collecting those pages; remove it to obey robots.txt (the default))",
    ]);
    expect(check(doc('request:', '  robots: obey'))).toEqual([]);
  });
});
