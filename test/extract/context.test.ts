import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { bookPage, context, issuesPage } from './fixtures.ts';

describe('context fields', () => {
  const fields = {
    url: { context: 'url' },
    fetchedAt: { context: 'fetchedAt' },
    runId: { context: 'runId' },
    collector: { context: 'collector' },
    taskId: { context: 'taskId' },
    category: { context: 'var.category' },
    missing: { context: 'var.nope' },
  };
  const expected = {
    url: 'https://books.toscrape.com/catalogue/book_5/index.html',
    fetchedAt: '2024-05-01T12:00:00.000Z',
    runId: 'run-1',
    collector: 'books',
    taskId: 'task-1',
    category: 'poetry',
    missing: null,
  };

  it('takes values from the run on HTML pages, for every item', () => {
    const page = bookPage(5);
    const { records } = compileExtractor({
      items: 'article.product_pod',
      fields: { title: { selector: 'h3 a', attr: 'title' }, ...fields },
    }).extract(page, context(page, { category: 'poetry' }));
    expect(records).toHaveLength(4);
    for (const r of records) expect(r).toMatchObject(expected);
  });

  it('takes values from the run on JSON pages', () => {
    const page = issuesPage(0);
    const { records } = compileExtractor({
      items: '[]',
      fields: { n: 'number', run: { context: 'runId' }, page: { context: 'url' } },
    }).extract(page, context(page));
    expect(records[0]).toEqual({
      n: 13,
      run: 'run-1',
      page: 'https://api.github.com/repos/octokit-fixture-org/paginate-issues/issues?per_page=3',
    });
  });

  it('applies regex and type to context values', () => {
    const page = issuesPage(2);
    const extractor = compileExtractor({
      fields: { page: { context: 'url', regex: '[?&]page=(\\d+)', type: 'integer' }, day: { context: 'fetchedAt', type: 'date' } },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ page: 3, day: '2024-05-01T12:00:00.000Z' });
  });

  it('rejects an unknown context key', () => {
    expect(() => compileExtractor({ fields: { x: { context: 'hostname' } } })).toThrow(ExtractConfigError);
  });
});
