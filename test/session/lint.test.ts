// What `collect validate` says about a session block: positions and hints for a
// take with no source, a session value used before a step takes it, literal
// credentials in a login, and an `expired` rule with no condition.
import { describe, expect, it } from 'vitest';
import { check, doc } from '../spec/helpers.ts';

const login = [
  'session:',
  '  login:',
  '    - url: https://example.com/login', // 13
  '      take:', // 14
  '        csrf: { selector: "input[name=csrf]", attr: value }', // 15
  '    - url: https://example.com/login', // 16
  '      method: POST', // 17
  '      body:', // 18
  '        form:', // 19
  '          csrf: ${session:csrf}', // 20
  '          username: ${env:SITE_USER}', // 21
  '          password: ${env:SITE_PASSWORD}', // 22
];

describe('session lint', () => {
  it('accepts a login whose values are taken before they are used, in the steps and the crawl', () => {
    expect(
      check(doc(...login, '  expired: { statuses: [401], redirectTo: /login }', 'request:', '  headers:', '    X-Csrf: ${session:csrf}')),
    ).toEqual([]);
  });

  it('points at a take with no source, and at one with two', () => {
    expect(
      check(
        doc(
          'session:',
          '  login:',
          '    - url: https://example.com/login',
          '      take:',
          '        csrf: {}', // 15
          '        token: { path: token, header: X-Token }', // 16
        ),
      ),
    ).toEqual([
      'collectors/t.yaml:15:15 error session.login[0].take.csrf: take csrf names no source (give one of selector (with attr for an attribute), path (JSON), header, cookie or regex)',
      'collectors/t.yaml:16:16 error session.login[0].take.token: take token has several sources (path, header) (give one)',
    ]);
  });

  it('points at a session value used before the step that takes it', () => {
    const lines = [
      'session:',
      '  login:',
      '    - url: https://example.com/login', // 13
      '      headers: { X-Csrf: "${session:csrf}" }', // 14
      '    - url: https://example.com/form', // 15
      '      take: { csrf: { regex: "csrf=(\\\\w+)" } }', // 16
    ];
    expect(check(doc(...lines))).toEqual([
      'collectors/t.yaml:14:27 error session.login[0].headers.X-Csrf: ${session:csrf} is used in login step 1 before it is taken (by step 2) (move the step that takes csrf before this one)',
    ]);
  });

  it('points at an unknown session name in the crawl, with a did-you-mean', () => {
    expect(check(doc(...login, 'request:', '  headers:', '    X-Csrf: ${session:crsf}'))).toEqual([
      'collectors/t.yaml:25:13 error request.headers.X-Csrf: ${session:crsf}: no login step takes crsf (did you mean "csrf"?)',
    ]);
  });

  it('refuses ${session:NAME} without any login, and outside the request', () => {
    expect(check(doc('request:', '  query:', '    t: ${session:token}', 'variables:', '  v: ${session:token}'))).toEqual([
      'collectors/t.yaml:13:8 error request.query.t: ${session:token}: no login step takes token (add a step to session.login whose take names it, e.g. take: { token: { selector: "input[name=token]", attr: value } })',
      'collectors/t.yaml:15:6 error variables.v: ${session:token} is not resolved here: secrets are resolved only in request.headers, request.query and request.body (send it as a query parameter or a header instead, e.g. request: { query: { api_key: "${session:token}" } })',
    ]);
  });

  it('refuses literal credentials in a login step', () => {
    const lines = [
      'session:',
      '  login:',
      '    - url: https://example.com/login', // 13
      '      method: POST', // 14
      '      headers: { Authorization: Basic dXNlcjpwYXNz }', // 15
      '      body:', // 16
      '        json: { user: bob, password: hunter2 }', // 17
    ];
    expect(check(doc(...lines))).toEqual([
      'collectors/t.yaml:15:33 error session.login[0].headers.Authorization: literal secret in login step 1 header "Authorization" (use ${env:NAME} or ${ssm:/path})',
      'collectors/t.yaml:17:38 error session.login[0].body.json.password: literal secret in login step 1 JSON field "password" (use ${env:NAME} or ${ssm:/path})',
    ]);
  });

  it('refuses an expired rule with no condition, or with no login to renew', () => {
    expect(check(doc(...login, '  expired: {}'))).toEqual([
      'collectors/t.yaml:23:12 error session.expired: session.expired names no condition (give statuses (e.g. [401, 403]), redirectTo (a pattern of the login page URL) or selector (the login form))',
    ]);
    expect(check(doc('session:', '  expired: { statuses: [401] }'))).toEqual([
      'collectors/t.yaml:12:3 error session.expired: session.expired without session.login: there is no login to run again (add the login steps under session.login, or remove expired)',
    ]);
  });

  it('refuses empty names and patterns', () => {
    const lines = [
      'session:',
      '  login:',
      '    - url: https://example.com/login', // 13
      '      take: { csrf: { header: "" } }', // 14
      '  expired: { redirectTo: "" }', // 15
    ];
    expect(check(doc(...lines))).toEqual([
      'collectors/t.yaml:14:31 error session.login[0].take.csrf.header: must not be empty',
      'collectors/t.yaml:15:26 error session.expired.redirectTo: must not be empty',
    ]);
  });

  it('refuses a body sent with GET, an invalid selector, and a variable with several values', () => {
    const lines = [
      'variables:',
      '  host: { values: [a.example.com, b.example.com] }',
      'session:',
      '  login:',
      '    - url: https://{{ host }}/login', // 15
      '      body: { form: { q: x } }', // 16
      '      take: { csrf: { selector: "input[" } }', // 17
    ];
    expect(check(doc(...lines))).toEqual([
      'collectors/t.yaml:15:20 error session.login[0].url: {{ host }} in a login step: host has several values, and a login is made once for the whole run (use a variable with one value)',
      'collectors/t.yaml:16:7 error session.login[0].body: login step 1 sends a body with GET (set method: POST (or PUT, PATCH))',
      expect.stringMatching(/^collectors\/t\.yaml:17:33 error session\.login\[0\]\.take\.csrf\.selector: invalid CSS selector "input\["/),
    ]);
  });
});
