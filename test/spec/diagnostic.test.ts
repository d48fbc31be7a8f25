import { describe, expect, it } from 'vitest';
import {
  countBySeverity,
  escapeData,
  escapeProperty,
  formatDiagnostics,
  formatGithub,
  formatJson,
  formatText,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
} from '../../runtime/language/diagnostic.ts';

const unknown: Diagnostic = {
  file: 'collectors/books.yaml',
  line: 14,
  column: 7,
  path: 'paginate.selectr',
  message: 'unknown option "selectr"',
  hint: 'did you mean "selector"?',
  severity: 'error',
};
const owner: Diagnostic = { file: 'collectors/books.yaml', line: 1, column: 1, path: '', message: 'no owner', severity: 'warning' };
const other: Diagnostic = {
  file: 'collectors/a.yaml',
  line: 3,
  column: 2,
  path: 'name',
  message: 'bad, really: 100%\nsecond line',
  severity: 'error',
};

describe('formatText', () => {
  it('prints file:line:col severity path: message (hint), sorted by file, line and column', () => {
    expect(formatText([unknown, owner, other])).toBe(
      [
        'collectors/a.yaml:3:2 error name: bad, really: 100%\nsecond line',
        'collectors/books.yaml:1:1 warning no owner',
        'collectors/books.yaml:14:7 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for no diagnostics', () => {
    expect(formatText([])).toBe('');
  });
});

describe('formatGithub', () => {
  it('writes one workflow command per diagnostic, with the path as title', () => {
    expect(formatGithub([unknown, owner])).toBe(
      '::warning file=collectors/books.yaml,line=1,col=1::no owner\n' +
        '::error file=collectors/books.yaml,line=14,col=7,title=paginate.selectr::unknown option "selectr" (did you mean "selector"?)\n',
    );
  });

  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    const d: Diagnostic = { file: 'c:/x,y.yaml', line: 2, column: 3, path: 'a:b,c', message: '50% off\r\nnow', severity: 'error' };
    expect(formatGithub([d])).toBe('::error file=c%3A/x%2Cy.yaml,line=2,col=3,title=a%3Ab%2Cc::50%25 off%0D%0Anow\n');
    expect(escapeData('a%b\nc\rd:e,f')).toBe('a%25b%0Ac%0Dd:e,f');
    expect(escapeProperty('a%b\nc\rd:e,f')).toBe('a%25b%0Ac%0Dd%3Ae%2Cf');
  });
});

describe('formatJson', () => {
  it('is a sorted array of plain diagnostics, hint only when there is one', () => {
    const parsed = JSON.parse(formatJson([unknown, owner])) as unknown[];
    expect(parsed).toEqual([
      { file: 'collectors/books.yaml', line: 1, column: 1, severity: 'warning', path: '', message: 'no owner' },
      {
        file: 'collectors/books.yaml',
        line: 14,
        column: 7,
        severity: 'error',
        path: 'paginate.selectr',
        message: 'unknown option "selectr"',
        hint: 'did you mean "selector"?',
      },
    ]);
    expect(formatJson([])).toBe('[]\n');
  });
});

describe('helpers', () => {
  it('sorts stably and counts', () => {
    const a = { ...owner, message: 'a' };
    const b = { ...owner, message: 'b' };
    expect(sortDiagnostics([b, a]).map((d) => d.message)).toEqual(['b', 'a']);
    expect(countBySeverity([unknown, owner, other])).toEqual({ errors: 2, warnings: 1 });
    expect(hasErrors([owner])).toBe(false);
    expect(hasErrors([owner, unknown])).toBe(true);
  });

  it('dispatches on the format name', () => {
    expect(formatDiagnostics([owner], 'text')).toBe(formatText([owner]));
    expect(formatDiagnostics([owner], 'github')).toBe(formatGithub([owner]));
    expect(formatDiagnostics([owner], 'json')).toBe(formatJson([owner]));
  });
});
