// What `collect validate` says about the stop rules and about where a token or
// the incremental mark goes: exact messages, positions and hints.
import { describe, expect, it } from 'vitest';
import { check, doc } from '../spec/helpers.ts';

/** Lines 11 on: a JSON collector's parse, then the lines given. */
const json = (...lines: string[]) => doc('parse: json', ...lines);

describe('stop.hasMore and stop.done', () => {
  it('must be JMESPath that compiles', () => {
    expect(check(json('paginate:', '  type: page-number', '  stop: {hasMore: "meta.has[", done: "last("}'))).toEqual([
      'collectors/t.yaml:14:19 error paginate.stop.hasMore: invalid JMESPath "meta.has[": Syntax error: expected Star, got: EOF',
      expect.stringMatching(/^collectors\/t\.yaml:14:38 error paginate\.stop\.done: invalid JMESPath "last\("/),
    ]);
  });

  it('read JSON: on an HTML collector they point at the key', () => {
    expect(check(doc('parse: html', 'paginate:', '  type: next-link', '  selector: a.next', '  stop:', '    hasMore: has_next'))).toEqual([
      'collectors/t.yaml:16:5 error paginate.stop.hasMore: "hasMore" reads a JSON response, but this collector parses pages as HTML (set parse: json or auto)',
    ]);
  });

  it('a valid flag passes', () => {
    expect(check(json('paginate:', '  type: cursor', '  tokenPath: next', '  param: after', '  stop: {hasMore: meta.has_next}'))).toEqual(
      [],
    );
  });
});

describe('a body path for the page token', () => {
  const POST = ['request:', '  method: POST', '  body:', '    json: {query: q, variables: {after: null}}'];

  it('passes with in: body and a JSON body, param left out', () => {
    expect(check(json(...POST, 'paginate:', '  type: cursor', '  tokenPath: next', '  in: body', '  path: variables.after'))).toEqual([]);
  });

  it('belongs to in: body', () => {
    expect(check(json('paginate:', '  type: cursor', '  tokenPath: next', '  path: variables.after'))).toEqual([
      'collectors/t.yaml:15:3 error paginate.path: "path" writes the token inside a JSON body, but it goes in the query (in: query) (set in: body, or remove path and set param)',
    ]);
    expect(check(json('paginate:', '  type: page-number', '  in: header', '  path: variables.page'))).toEqual([
      'collectors/t.yaml:15:3 error paginate.path: "path" writes the page number inside a JSON body, but it goes in the header (in: header) (set in: body, or remove path and set param)',
    ]);
  });

  it('needs request.body.json, and says what to add', () => {
    expect(check(json('paginate:', '  type: offset', '  limit: 10', '  in: body', '  path: variables.offset'))).toEqual([
      'collectors/t.yaml:16:9 error paginate.path: "path" writes the offset inside the JSON body, but the request has no request.body.json (add request.body.json with the object it goes in ({ variables: { offset: null } }))',
    ]);
  });

  it('does not go into a form body', () => {
    const form = ['request:', '  method: POST', '  body:', '    form: {q: books}'];
    expect(check(json(...form, 'paginate:', '  type: page-number', '  in: body', '  path: variables.page'))).toEqual([
      'collectors/t.yaml:19:9 error paginate.path: "path" writes the page number inside a JSON body, but request.body is a form (use request.body.json, or remove path to send the page number as a form field)',
    ]);
  });

  it('must lead through objects of the body: the value in the way is pointed at', () => {
    const body = ['request:', '  method: POST', '  body:', '    json:', '      query: q', '      variables: "{{ vars }}"'];
    expect(check(json(...body, 'paginate:', '  type: cursor', '  tokenPath: next', '  in: body', '  path: variables.after'))[0]).toBe(
      'collectors/t.yaml:17:18 error request.body.json.variables: "variables" is not an object, so the token cannot be written at "variables.after" (make it an object (a mapping), or choose another path)',
    );
  });

  it('a name given beside a path is not used: a warning on the name', () => {
    expect(
      check(json(...POST, 'paginate:', '  type: cursor', '  tokenPath: next', '  param: cursor', '  in: body', '  path: variables.after')),
    ).toEqual([
      'collectors/t.yaml:19:3 warning paginate.param: "param" is not used: with "path", the token is written at "variables.after" (remove param)',
    ]);
  });

  it('a cursor needs param or a body path', () => {
    expect(check(json('paginate:', '  type: cursor', '  tokenPath: next'))).toEqual([
      'collectors/t.yaml:13:3 error paginate: cursor pagination needs "param": the name the token is sent under (or in: body with path: a field inside the JSON body (variables.after))',
    ]);
  });
});

describe('records.incremental.param', () => {
  const inc = (...param: string[]) => [
    'records:',
    '  incremental:',
    '    cursorField: title',
    '    param:',
    ...param.map((l) => `      ${l}`),
  ];

  it('passes with a name in the query', () => {
    expect(check(json(...inc('name: since', 'initial: "2024-01-01"')))).toEqual([]);
  });

  it('needs a name, or a body path', () => {
    expect(check(json(...inc('in: header')))).toEqual([
      'collectors/t.yaml:16:7 error records.incremental.param: the mark needs "name": the query parameter, header or body field it is sent as (or in: body with path: a field inside the JSON body (variables.since))',
    ]);
  });

  it('a path belongs to in: body with a JSON body', () => {
    expect(check(json(...inc('name: since', 'path: variables.since')))).toEqual([
      'collectors/t.yaml:17:7 error records.incremental.param.path: "path" writes the mark inside a JSON body, but it goes in the query (in: query) (set in: body, or remove path)',
    ]);
    expect(check(json(...inc('in: body', 'path: variables.since')))).toEqual([
      'collectors/t.yaml:17:13 error records.incremental.param.path: "path" writes the mark inside the JSON body, but the request has no request.body.json (add request.body.json with the object it goes in ({ variables: { since: null } }))',
    ]);
  });

  it("may not take the page token's place", () => {
    const post = ['request:', '  method: POST', '  body:', '    json: {variables: {after: null}}'];
    const paginate = ['paginate:', '  type: cursor', '  tokenPath: next', '  in: body', '  path: variables.after'];
    expect(check(json(...post, ...paginate, ...inc('in: body', 'path: variables.after')))).toEqual([
      'collectors/t.yaml:26:13 error records.incremental.param.path: the incremental mark and the page token would both be written at body field "variables.after" (give the mark its own field)',
    ]);
  });

  it('is checked by the schema: only query, header or body', () => {
    expect(check(json(...inc('name: since', 'in: path')))).toEqual([
      expect.stringMatching(/^collectors\/t\.yaml:17:11 error records\.incremental\.param\.in: /),
    ]);
  });
});
