import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../deploy/check/parse.ts';
import { attr, blank, block, call, comment, raw, renderFile, template } from '../../deploy/generate/hcl.ts';

describe('the HCL writer', () => {
  it('aligns the = of consecutive one-line arguments, as terraform fmt does', () => {
    const text = renderFile([
      block(
        'resource',
        ['aws_sqs_queue', 'q'],
        [
          attr('name', 'q'),
          attr('visibility_timeout_seconds', 30),
          attr('redrive_policy', call('jsonencode', { deadLetterTargetArn: raw('aws_sqs_queue.d.arn'), maxReceiveCount: 5 })),
          attr('fifo_queue', false),
          attr('delay_seconds', 0),
          blank(),
          attr('tags', {}),
        ],
      ),
    ]);
    expect(text).toBe(
      [
        'resource "aws_sqs_queue" "q" {',
        '  name                       = "q"',
        '  visibility_timeout_seconds = 30',
        '  redrive_policy = jsonencode({',
        '    deadLetterTargetArn = aws_sqs_queue.d.arn',
        '    maxReceiveCount     = 5',
        '  })',
        '  fifo_queue    = false',
        '  delay_seconds = 0',
        '',
        '  tags = {}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('separates blocks by blank lines, keeps a comment on the block it introduces and writes empty blocks on one line', () => {
    const text = renderFile([
      comment('Header.'),
      block('data', ['aws_partition', 'current'], []),
      comment('Why.'),
      block('locals', [], [attr('a', 1), block('nested', [], [attr('b', null)]), attr('c', true)]),
    ]);
    expect(text).toBe(
      [
        '# Header.',
        '',
        'data "aws_partition" "current" {}',
        '',
        '# Why.',
        'locals {',
        '  a = 1',
        '',
        '  nested {',
        '    b = null',
        '  }',
        '',
        '  c = true',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('writes one-item lists inline and longer lists one item a line with trailing commas', () => {
    const text = renderFile([attr('one', ['a']), attr('none', []), attr('two', ['a', raw('var.b')])]);
    expect(text).toBe(['one  = ["a"]', 'none = []', 'two = [', '  "a",', '  var.b,', ']', ''].join('\n'));
  });

  it('quotes object keys that are not identifiers', () => {
    expect(renderFile([attr('m', { 'books-toscrape': 1, ok: 2 })])).toBe(
      ['m = {', '  "books-toscrape" = 1', '  ok               = 2', '}', ''].join('\n'),
    );
  });

  it('escapes strings so that Terraform reads them back literally', async () => {
    const nasty = 'say "hi"\\ ${not.interpolated} %{not_a_directive}\n<aws.scheduler.scheduled-time>';
    const parsed = await parseHcl('x.tf', renderFile([attr('value', nasty)]));
    // hcl2json gives literal `${` back in its escaped form, since its output is itself a template.
    // (A function, not a string, as the replacement: in a replacement string "$$" is one "$".)
    expect(parsed.value).toBe(nasty.replace('${', () => '$${').replace('%{', () => '%%{'));
    expect(renderFile([attr('value', 'dt=${dt}')])).toBe('value = "dt=$${dt}"\n');
  });

  it('builds templates from literal parts and interpolated expressions', async () => {
    const t = template(raw('var.prefix'), '-queue-"x"');
    expect(t.text).toBe('"${var.prefix}-queue-\\"x\\""');
    const parsed = await parseHcl('x.tf', renderFile([attr('name', t)]));
    expect(parsed.name).toBe('${var.prefix}-queue-"x"');
  });
});
