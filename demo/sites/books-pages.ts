// The real book pages from books.toscrape.com (test/fixtures/books-toscrape, MIT),
// read once and summarised so the local site can render listing pages for them.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BOOK_PAGES_DIR = fileURLToPath(new URL('../../test/fixtures/books-toscrape/pages/', import.meta.url));

export interface BookPage {
  html: string;
  title: string;
  price: string;
  rating: string;
  inStock: boolean;
}

let cache: BookPage[] | undefined;

export function loadBookPages(): BookPage[] {
  if (cache) return cache;
  const files = readdirSync(BOOK_PAGES_DIR).filter((f) => f.endsWith('.html'));
  files.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  cache = files.map((f) => {
    const html = readFileSync(BOOK_PAGES_DIR + f, 'utf8');
    return {
      html,
      title: decode(/<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? ''),
      price: /<p class="price_color">([^<]*)<\/p>/.exec(html)?.[1] ?? '',
      rating: /<p class="star-rating (\w+)">/.exec(html)?.[1] ?? 'Zero',
      inStock: /In stock/.test(html),
    };
  });
  return cache;
}

function decode(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
