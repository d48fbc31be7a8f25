import { describe, expect, it } from 'vitest';
import { iamProblems } from '../../deploy/check/iam.ts';
import { HclParseError, parseHcl } from '../../deploy/check/parse.ts';
import { checkProviderSchema, type SchemaProblemKind } from '../../deploy/check/provider-schema.ts';
import { checkReferences } from '../../deploy/check/references.ts';
import { providerSchema } from './helpers.ts';

const schema = providerSchema();

async function problems(hcl: string): Promise<{ kind: SchemaProblemKind; address: string; path: string }[]> {
  return checkProviderSchema('test.tf', await parseHcl('test.tf', hcl), schema).map(({ kind, address, path }) => ({ kind, address, path }));
}

describe('the provider schema checker', () => {
  it('accepts a correct resource, meta-arguments, dynamic blocks and a provider block', async () => {
    expect(
      await problems(`
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { a = "b" }
  }
}

resource "aws_sqs_queue" "q" {
  count                      = 1
  name                       = "q"
  visibility_timeout_seconds = 30
  tags                       = { Collector = "x" }
  lifecycle {
    prevent_destroy = true
  }
  depends_on = [aws_sqs_queue.other]
}

data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = [1]
    content {
      actions   = ["sqs:SendMessage"]
      resources = ["arn"]
    }
  }
}
`),
    ).toEqual([]);
  });

  it('reports an unknown resource type and an unknown data source', async () => {
    expect(await problems('resource "aws_sqs_queue_typo" "q" {}\ndata "aws_nothing" "d" {}\n')).toEqual([
      { kind: 'unknown-type', address: 'data.aws_nothing.d', path: '' },
      { kind: 'unknown-type', address: 'resource.aws_sqs_queue_typo.q', path: '' },
    ]);
  });

  it('reports an unknown argument, also inside a nested block', async () => {
    expect(
      await problems(`
resource "aws_sqs_queue" "q" {
  visibility_timeout = 30
}
resource "aws_lambda_event_source_mapping" "m" {
  function_name = "f"
  scaling_config {
    max_concurrency = 2
  }
}
`),
    ).toEqual([
      { kind: 'unknown-argument', address: 'resource.aws_lambda_event_source_mapping.m', path: 'scaling_config.max_concurrency' },
      { kind: 'unknown-argument', address: 'resource.aws_sqs_queue.q', path: 'visibility_timeout' },
    ]);
  });

  it('reports an unknown block, written plainly or as a dynamic block', async () => {
    expect(
      await problems(`
resource "aws_sqs_queue" "q" {
  redrive {
    count = 5
  }
  dynamic "scaling" {
    for_each = []
    content {}
  }
}
`),
    ).toEqual([
      { kind: 'unknown-block', address: 'resource.aws_sqs_queue.q', path: 'redrive' },
      { kind: 'unknown-block', address: 'resource.aws_sqs_queue.q', path: 'scaling' },
    ]);
    expect(
      (await problems('resource "aws_sqs_queue" "q" {\n  dynamic "scaling" {\n    for_each = []\n    content {}\n  }\n}\n'))[0]?.kind,
    ).toBe('unknown-block');
  });

  it('reports a missing required argument and a missing required block', async () => {
    expect(
      await problems(`
resource "aws_iam_role" "r" {
  name = "r"
}
resource "aws_scheduler_schedule" "s" {
  schedule_expression = "rate(1 day)"
  target {
    arn = "a"
  }
}
`),
    ).toEqual([
      { kind: 'missing-argument', address: 'resource.aws_iam_role.r', path: 'assume_role_policy' },
      { kind: 'missing-block', address: 'resource.aws_scheduler_schedule.s', path: 'flexible_time_window' },
      { kind: 'missing-argument', address: 'resource.aws_scheduler_schedule.s', path: 'target.role_arn' },
    ]);
  });

  it('reports an argument that only the provider may set', async () => {
    expect(await problems('resource "aws_sqs_queue" "q" {\n  arn = "x"\n  url = "y"\n}\n')).toEqual([
      { kind: 'computed-argument', address: 'resource.aws_sqs_queue.q', path: 'arn' },
      { kind: 'computed-argument', address: 'resource.aws_sqs_queue.q', path: 'url' },
    ]);
  });

  it('reports two of a block that allows one', async () => {
    expect(
      await problems(`
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "r"
  environment {
    variables = { A = "1" }
  }
  environment {
    variables = { B = "2" }
  }
}
`),
    ).toEqual([{ kind: 'too-many-blocks', address: 'resource.aws_lambda_function.f', path: 'environment' }]);
  });

  it('reports a block written as an argument and an argument written as a block', async () => {
    expect(
      await problems(`
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "r"
  environment = {
    variables = { A = "1" }
  }
  tags {
    a = "b"
  }
}
`),
    ).toEqual([
      { kind: 'wrong-shape', address: 'resource.aws_lambda_function.f', path: 'environment' },
      { kind: 'wrong-shape', address: 'resource.aws_lambda_function.f', path: 'tags' },
    ]);
  });
});

describe('the reference checker', () => {
  it('reports undeclared variables, locals, resources, data sources, attributes and unused variables', async () => {
    const file = await parseHcl(
      'main.tf',
      `
variable "used" { type = string }
variable "unused" { type = string }
locals {
  a = var.used
}
resource "aws_sqs_queue" "q" {
  name   = "\${var.missing}-\${local.a}-\${local.b}"
  policy = data.aws_iam_policy_document.nope.json
}
output "x" {
  value = [aws_sqs_queue.q.url, aws_sqs_queue.q.urll, aws_sqs_queue.r.arn]
}
`,
    );
    const messages = checkReferences({ files: new Map([['main.tf', file]]) }, schema).map((p) => p.message);
    expect(messages.sort()).toEqual([
      'aws_sqs_queue.q.urll: the type has no attribute "urll"',
      'aws_sqs_queue.r is not declared',
      'data.aws_iam_policy_document.nope is not declared',
      'local.b is not declared',
      'var.missing is not declared',
      'variable "unused" is declared but never used',
    ]);
  });

  it('checks a module call against the variables and outputs of the module', async () => {
    const child = new Map([
      [
        'v.tf',
        await parseHcl(
          'v.tf',
          'variable "a" { type = string }\nvariable "b" {\n  type    = string\n  default = "x"\n}\noutput "o" { value = var.a }\n',
        ),
      ],
    ]);
    const root = await parseHcl(
      'main.tf',
      'module "m" {\n  source = "./child"\n  c      = 1\n}\noutput "x" { value = [module.m.o, module.m.p] }\n',
    );
    const messages = checkReferences({ files: new Map([['main.tf', root]]), children: new Map([['./child', child]]) }).map(
      (p) => p.message,
    );
    expect(messages).toEqual([
      'module.m.p: the module has no output "p"',
      'module "m": argument "c" is not a variable of ./child',
      'module "m": required variable "a" of ./child is not set',
    ]);
  });
});

describe('the IAM checker', () => {
  it('reports wildcard actions and resources, negations and policies it cannot read', async () => {
    const file = await parseHcl(
      'iam.tf',
      `
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Broad"
    actions   = ["s3:*", "sqs:SendMessage"]
    resources = ["*", "\${var.bucket_arn}/*", "arn:aws:sqs:eu-west-1:123456789012:q-*"]
  }
  statement {
    sid         = "Negated"
    not_actions = ["iam:PassRole"]
    resources   = ["\${var.bucket_arn}/raw/*"]
  }
  statement {
    actions = ["s3:GetObject"]
  }
}
resource "aws_iam_role_policy" "inline" {
  role   = "r"
  policy = jsonencode({ Statement = [] })
}
`,
    );
    const found = iamProblems(new Map([['iam.tf', file]])).map((p) => `${p.where}: ${p.message}`);
    expect(found).toEqual([
      'data.aws_iam_policy_document.p (Broad): action "s3:*" is not one named action (no wildcards, no expressions)',
      'data.aws_iam_policy_document.p (Broad): resource "*" is a wildcard',
      'data.aws_iam_policy_document.p (Broad): resource "${var.bucket_arn}/*" is a wildcard',
      'data.aws_iam_policy_document.p (Broad): resource "arn:aws:sqs:eu-west-1:123456789012:q-*" is a wildcard',
      'data.aws_iam_policy_document.p (Negated): uses not_actions, which grants everything it does not name',
      'data.aws_iam_policy_document.p: allows actions without naming a resource',
      'aws_iam_role_policy.inline.policy: a policy must come from a data "aws_iam_policy_document", so that it can be checked',
    ]);
  });
});

describe('parsing', () => {
  it('reports a syntax error with the file name', async () => {
    await expect(parseHcl('broken.tf', 'resource "aws_sqs_queue" "q" {\n')).rejects.toThrow(HclParseError);
    await expect(parseHcl('broken.tf', 'resource "aws_sqs_queue" "q" {\n')).rejects.toThrow(/broken\.tf/);
  });
});
