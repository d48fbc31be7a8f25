import { describe, expect, it } from 'vitest';
import { check, docWith } from './helpers.ts';

const CLIMBS = 'has a ".." segment: records would land outside the folder it names';
const MOVES = 'which moves the request to another path of the site (give the path segments themselves, without "." or "..")';

describe('the output location stays in its place', () => {
  it('refuses ".." and "." segments, with the location that was meant', () => {
    expect(check(docWith({ 8: 'output: s3://lake/../../../../x/escaped' }))).toEqual([
      `collectors/t.yaml:8:19 error output: the output location ${CLIMBS} (write s3://lake/x/escaped)`,
    ]);
    expect(check(docWith({ 8: 'output: s3://bucket-a/{{ name }}/..' }))).toEqual([
      `collectors/t.yaml:8:34 error output: the output location ${CLIMBS} (write s3://bucket-a/{{ name }})`,
    ]);
    expect(check(docWith({ 8: 'output: s3://bucket-a/./raw' }))).toEqual([
      'collectors/t.yaml:8:23 error output: the output location has a "." segment, which names no folder (write s3://bucket-a/raw)',
    ]);
  });

  it('refuses backslashes and control characters', () => {
    expect(check(docWith({ 8: "output: 's3://bucket-a/raw\\x'" }))).toEqual([
      'collectors/t.yaml:8:27 error output: the output location contains a backslash, a path separator on Windows (write s3://bucket-a/raw/x)',
    ]);
    expect(check(docWith({ 8: 'output: "s3://bucket-a/raw\\u0001x"' }))).toEqual([
      'collectors/t.yaml:8:9 error output: the output location contains the control character U+0001 (write s3://bucket-a/rawx)',
    ]);
  });
});

describe('variable values stay in their place', () => {
  it('refuses values that would take the output elsewhere: dot segments, absolute paths, backslashes, control characters', () => {
    const text = docWith(
      { 8: 'output: s3://bucket-a/raw/{{ day }}/{{ cat }}' },
      'variables:',
      '  day: ../../x',
      '  cat: { values: [ok, "..", "a/../b", "/etc", "a\\\\b", "a\\u0000b", "2024/05/01"] }',
    );
    const used = 'used in the output location';
    expect(check(text)).toEqual([
      `collectors/t.yaml:12:8 error variables.day: the value "../../x" of "day" (${used}) ${CLIMBS} (remove the ".." segment)`,
      `collectors/t.yaml:13:24 error variables.cat.values[1]: the value ".." of "cat" (${used}) ${CLIMBS} (remove the ".." segment)`,
      `collectors/t.yaml:13:32 error variables.cat.values[2]: the value "a/../b" of "cat" (${used}) ${CLIMBS} (remove the ".." segment)`,
      `collectors/t.yaml:13:40 error variables.cat.values[3]: the value "/etc" of "cat" (${used}) starts with "/", an absolute path (remove the leading "/")`,
      `collectors/t.yaml:13:49 error variables.cat.values[4]: the value "a\\\\b" of "cat" (${used}) contains a backslash, a path separator on Windows (use "/" between segments)`,
      `collectors/t.yaml:13:55 error variables.cat.values[5]: the value "a\\u0000b" of "cat" (${used}) contains the control character U+0000 (remove it)`,
    ]);
  });

  it('checks a value in its template, and the bucket too', () => {
    // "" alone is harmless; after the literal "." it makes a "." segment.
    expect(check(docWith({ 8: 'output: s3://bucket-a/raw/.{{ v }}' }, 'variables:', '  v: { values: ["", x] }'))).toEqual([
      'collectors/t.yaml:12:17 error variables.v.values[0]: with the value "" of "v" (used in the output location), the output location has a "." segment, which names no folder (remove the "." segment)',
    ]);
    expect(check(docWith({ 8: 'output: s3://{{ b }}/raw' }, 'variables:', '  b: ".."'))).toEqual([
      `collectors/t.yaml:12:7 error variables.b: the value ".." of "b" (used in the output location) ${CLIMBS} (remove the ".." segment)`,
    ]);
  });

  it('checks what a date format makes', () => {
    expect(
      check(docWith({ 8: 'output: s3://bucket-a/raw/{{ d }}' }, 'variables:', `  d: { dates: { from: -2d, format: "'..'/yyyy" } }`)),
    ).toEqual([
      `collectors/t.yaml:12:38 error variables.d.dates.format: the value "../2024" of "d" (used in the output location) ${CLIMBS} (remove the ".." segment)`,
    ]);
    expect(
      check(docWith({ 8: 'output: s3://bucket-a/raw/{{ d }}' }, 'variables:', '  d: { dates: { from: -2d, format: yyyy/MM/dd } }')),
    ).toEqual([]);
  });

  it('refuses values that would move a start URL to another path, and leaves the origin and the query alone', () => {
    const text = docWith(
      { 4: '  urls: ["https://example.com/api/{{ id }}?q={{ q }}", "{{ base }}/x/{{ repo }}"]' },
      'variables:',
      '  id: { values: ["%2e%2e", "a?admin=1", "x#y", ".", "a\\\\b", "ok", "%2E."] }',
      '  q: ../../x',
      '  base: https://a.example/..',
      '  repo: org/name',
    );
    const used = 'used in a start URL path';
    expect(check(text)).toEqual([
      `collectors/t.yaml:12:19 error variables.id.values[0]: the value "%2e%2e" of "id" (${used}) has a "%2e%2e" segment, ${MOVES}`,
      `collectors/t.yaml:12:30 error variables.id.values[1]: the value "a?admin=1" of "id" (${used}) contains "?", which ends the URL's path (percent-encode it as %3F)`,
      `collectors/t.yaml:12:43 error variables.id.values[2]: the value "x#y" of "id" (${used}) contains "#", which ends the URL's path (percent-encode it as %23)`,
      `collectors/t.yaml:12:49 error variables.id.values[3]: the value "." of "id" (${used}) has a "." segment, ${MOVES}`,
      `collectors/t.yaml:12:55 error variables.id.values[4]: the value "a\\\\b" of "id" (${used}) contains a backslash, which URLs read as "/" (percent-encode it as %5C)`,
      `collectors/t.yaml:12:68 error variables.id.values[6]: the value "%2E." of "id" (${used}) has a "%2E." segment, ${MOVES}`,
    ]);
  });
});
