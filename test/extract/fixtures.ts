// Real pages for the extraction tests: books.toscrape.com detail pages and recorded GitHub
// API responses (see test/fixtures/README.md).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import type { ExtractContext, ParsedPage } from '../../runtime/core/extract/types.ts';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function bookHtml(n: number): string {
  return readFileSync(`${fixtures}books-toscrape/pages/${n}.html`, 'utf8');
}

/** The pages have flat names; they are given the kind of URL they had on the real site. */
function bookUrl(n: number): string {
  return `https://books.toscrape.com/catalogue/book_${n}/index.html`;
}

export function bookPage(n: number): ParsedPage {
  return parsePage(bookHtml(n), 'text/html; charset=utf-8', bookUrl(n));
}

export interface RecordedResponse {
  path: string;
  status: number;
  headers: Record<string, string>;
  response: unknown;
}

export function githubIssues(): RecordedResponse[] {
  return JSON.parse(readFileSync(`${fixtures}github-api/paginate-issues.json`, 'utf8')) as RecordedResponse[];
}

/** One recorded response as the fetcher would hand it over: body text, content-type, URL. */
export function issuesPage(index: number): ParsedPage {
  const r = githubIssues()[index]!;
  return parsePage(JSON.stringify(r.response), r.headers['content-type'], `https://api.github.com${r.path}`);
}

export function context(page: ParsedPage, vars: Record<string, string> = {}): ExtractContext {
  return { url: page.url, fetchedAt: '2024-05-01T12:00:00.000Z', runId: 'run-1', collector: 'books', taskId: 'task-1', vars };
}
