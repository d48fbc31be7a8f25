import { describe, expect, it } from 'vitest';
import { checkJmesPath, checkRegex, checkSelector } from '../../runtime/core/extract/check.ts';

describe('checkSelector', () => {
  it.each([
    'h1',
    'article.product_pod h3 a',
    'table tr:nth-child(1) td',
    '> a',
    'li:first',
    'ul.breadcrumb li:eq(2) a',
    'div:has(> p.price_color)',
    'a[href$=".html"]',
    'p:not(.x), h1',
  ])('accepts %j', (sel) => {
    expect(checkSelector(sel)).toBeUndefined();
  });

  it.each([
    ['a[', /invalid CSS selector "a\["/],
    ['p:foo', /Unknown pseudo-class :foo/],
    ['div >> p', /invalid CSS selector/],
    ['li:eq(', /invalid CSS selector/],
    ['', /empty CSS selector/],
  ])('rejects %j', (sel, message) => {
    expect(checkSelector(sel)).toMatch(message);
  });
});

describe('checkJmesPath', () => {
  it.each(['items', 'data.items[]', '[]', 'labels[].name', 'length(@)', "items[?state=='open'].id | [0]"])('accepts %j', (expr) => {
    expect(checkJmesPath(expr)).toBeUndefined();
  });

  it.each(['items[', 'a..b', 'foo bar', ''])('rejects %j', (expr) => {
    expect(checkJmesPath(expr)).toMatch(/JMESPath/);
  });
});

describe('checkRegex', () => {
  it.each(['£([0-9.]+)', '\\((\\d+) available\\)', 'star-rating (\\w+)', '(?i)next', '\\p{Lu}+'])('accepts %j', (re) => {
    expect(checkRegex(re)).toBeUndefined();
  });

  it.each(['(unclosed', '[a-', '*x', '(?<n>a)(?<n>b)'])('rejects %j', (re) => {
    expect(checkRegex(re)).toMatch(/^invalid regex/);
  });
});
