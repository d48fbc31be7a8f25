import { describe, expect, it } from 'vitest';
import { isReferencesOnly, isSecretName } from '../../runtime/language/lint/secrets.ts';
import { check, doc, docWith } from './helpers.ts';

const HINT = '(use ${env:NAME} or ${ssm:/path})';

describe('literal secrets', () => {
  it('in an Authorization header', () => {
    expect(check(doc('request:', '  headers:', '    Authorization: Bearer abc123'))).toEqual([
      `collectors/t.yaml:13:20 error request.headers.Authorization: literal secret in header "Authorization" ${HINT}`,
    ]);
  });

  it('in other secret headers, by name or by a word in the name', () => {
    const headers = [
      'Cookie: sid=abc',
      'x-api-key: k1',
      'Api-Key: k2',
      'Proxy-Authorization: Basic dXNlcjpwYXNz',
      'X-Auth-Token: t',
      'Client-Secret: s',
      'X-Password: p',
    ];
    const lines = check(doc('request:', '  headers:', ...headers.map((h) => `    ${h}`)));
    expect(lines.map((l) => l.replace(/^collectors\/t\.yaml:(\d+):\d+ error .*literal secret in header ("[^"]+").*$/, '$1 $2'))).toEqual([
      '13 "Cookie"',
      '14 "x-api-key"',
      '15 "Api-Key"',
      '16 "Proxy-Authorization"',
      '17 "X-Auth-Token"',
      '18 "Client-Secret"',
      '19 "X-Password"',
    ]);
  });

  it('pass as references, with an auth scheme or cookie names around them', () => {
    const text = doc(
      'request:',
      '  headers:',
      '    Authorization: Bearer ${env:TOKEN}',
      '    Cookie: sid=${env:SID}; theme=${ssm:/site/theme}',
      '    X-Api-Key: ${ssm:/prod/key}',
      '    Proxy-Authorization: Basic ${ssm:/collect/{{ name }}/proxy}',
      '    Accept: text/html',
      '  query:',
      '    api_key: ${env:KEY}',
      '    per_page: 100',
    );
    expect(check(text)).toEqual([]);
  });

  it('in query parameters and form fields, numbers included', () => {
    expect(
      check(
        doc(
          'request:',
          '  query:',
          '    api_key: abc123',
          '    per_page: 100',
          '    access_token: 42',
          '  body:',
          '    form: {password: hunter2}',
        ),
      ),
    ).toEqual([
      `collectors/t.yaml:13:14 error request.query.api_key: literal secret in query parameter "api_key" ${HINT}`,
      `collectors/t.yaml:15:19 error request.query.access_token: literal secret in query parameter "access_token" ${HINT}`,
      `collectors/t.yaml:17:22 error request.body.form.password: literal secret in form field "password" ${HINT}`,
    ]);
  });

  it('in the query of a start URL, pointing at the parameter', () => {
    expect(check(docWith({ 4: '  urls: ["https://example.com/a?api_key=abc123&page=1"]' }))).toEqual([
      `collectors/t.yaml:4:33 error start.urls[0]: literal secret in the URL's query parameter "api_key" ${HINT}`,
    ]);
  });

  it('as credentials in a start URL', () => {
    expect(check(docWith({ 4: '  urls: ["https://bob:hunter2@example.com/a"]' }))).toEqual([
      'collectors/t.yaml:4:19 error start.urls[0]: literal credentials in the URL (use ${env:NAME} or ${ssm:/path} in an Authorization header)',
    ]);
  });

  it('in a variable named like a secret', () => {
    expect(check(doc('variables:', '  api_token: abc'))).toEqual([
      `collectors/t.yaml:12:14 error variables.api_token: literal secret in variable "api_token" ${HINT}`,
    ]);
  });
});

describe('references outside the request', () => {
  const WHY = 'is not resolved here: secrets are resolved only in request.headers, request.query and request.body';
  it('in a start URL: it would travel in every task; send it as a query parameter', () => {
    expect(check(docWith({ 4: '  urls: ["https://example.com/a?api_key=${env:KEY}&page=1"]' }))).toEqual([
      `collectors/t.yaml:4:41 error start.urls[0]: \${env:KEY} ${WHY} (send it as a query parameter or a header instead, e.g. request: { query: { api_key: "\${env:KEY}" } })`,
    ]);
  });

  it("in a variable: a variable's value is inserted as text, never resolved", () => {
    expect(check(doc('variables:', '  api_token: ${env:API_TOKEN}'))).toEqual([
      `collectors/t.yaml:12:14 error variables.api_token: \${env:API_TOKEN} ${WHY} (send it as a query parameter or a header instead, e.g. request: { query: { api_key: "\${env:API_TOKEN}" } })`,
    ]);
  });

  it('anywhere else (the output, say)', () => {
    expect(check(docWith({ 8: 'output: s3://bucket-a/raw/${env:WHERE}' }))).toContain(
      `collectors/t.yaml:8:27 error output: \${env:WHERE} ${WHY} (move it into request.headers, request.query or request.body)`,
    );
  });
});

describe('secret helpers', () => {
  it('recognise secret names', () => {
    expect(['token', 'X-Auth-Token', 'client_secret', 'PASSWORD', 'apikey', 'api-key', 'api_key'].map(isSecretName)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['page', 'per_page', 'Accept', 'q'].map(isSecretName)).toEqual([false, false, false, false]);
  });

  it('tell references from literals', () => {
    expect(isReferencesOnly('${env:A}')).toBe(true);
    expect(isReferencesOnly('token ${env:A}')).toBe(true);
    expect(isReferencesOnly('{{ x }}')).toBe(true);
    expect(isReferencesOnly('')).toBe(true);
    expect(isReferencesOnly('abc ${env:A}x')).toBe(false);
    expect(isReferencesOnly('Basic dXNlcjpwYXNz')).toBe(false);
    expect(isReferencesOnly('${env:A}abc')).toBe(false);
  });
});
