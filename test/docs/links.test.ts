// The README is the front door and docs/ holds the rest: every relative link
// and anchor in README.md and docs/*.md leads somewhere, every docs page says
// what it is and links back to the README, and the README stays short.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const README_MAX_LINES = 420;

const docs = readdirSync(join(REPO, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => `docs/${f}`);
const pages = ['README.md', ...docs];
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');

/** The lines outside fenced code blocks (a `#` or a `[x](y)` inside one is code, not markdown). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The anchors GitHub gives a page's headings (github-slugger: lower case, punctuation dropped, spaces to dashes, -1, -2 for repeats). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const words = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = words
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Every markdown link target outside code: inline `[text](target)` and reference definitions `[label]: target`. */
function links(text: string): string[] {
  const found: string[] = [];
  for (const line of prose(text)) {
    const code = line.replace(/`[^`]*`/g, '``');
    for (const m of code.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push(m[1]!);
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(code);
    if (def) found.push(def[1]!);
  }
  return found;
}

describe('README and docs/ links', () => {
  it('has the docs pages the README points to', () => {
    expect(docs).toEqual(expect.arrayContaining(['docs/guide.md', 'docs/reference.md', 'docs/commands.md', 'docs/aws.md']));
  });

  it('resolves every relative link and anchor of README.md and docs/*.md', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const target of links(read(page))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        checked++;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path ? relative(REPO, join(REPO, dirname(page), decodeURIComponent(path))) : page;
        if (file.startsWith('..')) {
          problems.push(`${page}: ${target} leaves the repository`);
          continue;
        }
        if (!existsSync(join(REPO, file))) {
          problems.push(`${page}: ${target}: no file ${file}`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!file.endsWith('.md')) problems.push(`${page}: ${target}: an anchor into a file that is not markdown`);
        else if (!anchors(read(file)).has(decodeURIComponent(anchor)))
          problems.push(`${page}: ${target}: ${file} has no heading #${anchor}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('gives the anchors GitHub gives', () => {
    const text =
      '# T\n\n## `collect new`\n\n## `collector.paginate type: next-link`\n\n### Limits checked by `collect generate`\n\n## Fields\n\n## Fields\n\n```\n# not a heading\n```\n';
    expect([...anchors(text)]).toEqual([
      't',
      'collect-new',
      'collectorpaginate-type-next-link',
      'limits-checked-by-collect-generate',
      'fields',
      'fields-1',
    ]);
  });

  it('starts every docs page with its title, one line saying what it is, and a link back to the README', () => {
    for (const page of docs) {
      const [title, blank, line] = read(page).split('\n');
      expect(title, page).toMatch(/^# \S/);
      expect(blank, page).toBe('');
      expect(line, page).toMatch(/\S/);
      expect(line, page).toContain('](../README.md)');
    }
  });

  it(`keeps README.md at ${README_MAX_LINES} lines or fewer`, () => {
    const lines = read('README.md').replace(/\n$/, '').split('\n').length;
    expect(lines, 'README.md is the front door: move the detail to docs/').toBeLessThanOrEqual(README_MAX_LINES);
  });
});
