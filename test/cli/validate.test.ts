import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../runtime/tools/cli/command.ts';
import { validateCommand } from '../../runtime/tools/cli/commands/validate.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = { stdout, stderr, cwd, env: {} };
  const code = await validateCommand.run(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const collector = (name: string, ...extra: string[]) =>
  `${[
    `name: ${name}`,
    'owner: team@example.com',
    'start:',
    '  urls: ["https://example.com/"]',
    'extract:',
    '  fields:',
    '    title: h1',
    'output: s3://bucket-a/raw',
    'expect: {minRecords: 1}',
    ...extra,
  ].join('\n')}\n`;

let good: string;
let bad: string;

beforeAll(async () => {
  good = await mkdtemp(join(tmpdir(), 'collect-validate-'));
  await mkdir(join(good, 'collectors'));
  await writeFile(join(good, 'collectors', 'one.yaml'), collector('one'));
  await writeFile(join(good, 'collectors', 'two.yaml'), collector('two'));

  bad = await mkdtemp(join(tmpdir(), 'collect-validate-'));
  await mkdir(join(bad, 'collectors'));
  await writeFile(join(bad, 'collectors', 'books.yaml'), collector('books', 'paginate:', '  type: next-link', '  selectr: li.next a'));
  await writeFile(join(bad, 'collectors', 'quiet.yaml'), collector('quiet').replace('owner: team@example.com\n', ''));
  await writeFile(join(bad, 'collectors', 'zeta.yaml'), collector('zeta', 'schedule: {expression: "rate(1 days)"}'));
});

afterAll(async () => {
  await rm(good, { recursive: true, force: true });
  await rm(bad, { recursive: true, force: true });
});

describe('collect validate', () => {
  it('checks collectors/ by default and exits 0 when all is well', async () => {
    expect(await run([], good)).toEqual({ code: 0, stdout: '', stderr: '2 files, 0 errors, 0 warnings\n' });
  });

  it('prints every problem with file:line:col, a summary, and exits 1 on errors', async () => {
    expect(await run([], bad)).toEqual({
      code: 1,
      stdout:
        'collectors/books.yaml:12:3 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)\n' +
        'collectors/quiet.yaml:1:1 warning no owner: nobody is named to answer for this collector (add owner: a team or an e-mail address)\n' +
        'collectors/zeta.yaml:10:24 error schedule.expression: rate(1 days): use the singular for 1 (rate(1 day))\n',
      stderr: '3 files, 2 errors, 1 warning\n',
    });
  });

  it('exits 0 when there are only warnings', async () => {
    expect(await run(['collectors/quiet.yaml'], bad)).toEqual({
      code: 0,
      stdout:
        'collectors/quiet.yaml:1:1 warning no owner: nobody is named to answer for this collector (add owner: a team or an e-mail address)\n',
      stderr: '1 file, 0 errors, 1 warning\n',
    });
  });

  it('writes GitHub Actions annotations with --format github', async () => {
    const result = await run(['--format', 'github', 'collectors/books.yaml'], bad);
    expect(result).toEqual({
      code: 1,
      stdout:
        '::error file=collectors/books.yaml,line=12,col=3,title=paginate.selectr::unknown option "selectr" (did you mean "selector"?)\n',
      stderr: '',
    });
  });

  it('writes a JSON array with --format json', async () => {
    const result = await run(['collectors/books.yaml', '-f', 'json'], bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file: 'collectors/books.yaml',
        line: 12,
        column: 3,
        severity: 'error',
        path: 'paginate.selectr',
        message: 'unknown option "selectr"',
        hint: 'did you mean "selector"?',
      },
    ]);
    expect(JSON.parse((await run(['--format=json'], good)).stdout)).toEqual([]);
  });

  it('reports a path that does not exist', async () => {
    expect(await run(['collectors/none.yaml'], good)).toEqual({
      code: 1,
      stdout: 'collectors/none.yaml:1:1 error cannot read: no such file or directory\n',
      stderr: '0 files, 1 error, 0 warnings\n',
    });
  });

  it('refuses an unknown format and unknown options', async () => {
    await expect(run(['--format', 'xml'], good)).rejects.toThrow(UsageError);
    await expect(run(['--format', 'xml'], good)).rejects.toThrow('unknown format "xml"; use text, github, json');
    await expect(run(['--strict'], good)).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });

  it('describes itself', () => {
    expect(validateCommand.name).toBe('validate');
    expect(validateCommand.usage).toContain('--format');
  });
});
