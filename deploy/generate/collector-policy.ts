// What the collectors may use of the deployment, one by one, for environments
// that choose `iam.scope: collector` (by default the root module grants by the
// project's name prefix instead, deploy/terraform/function.tf): each collector's
// task queue, output prefix and SSM parameters, in one inline policy on the
// function's role (one per collector would reach IAM's 10,240 characters three
// times sooner). Its lists name collectors, so it is written out only when an
// environment uses that scope: otherwise the policy is empty and never
// attached, and adding a collector changes no file but its own.
import { RUN_ROWS_PREFIX } from '../../runtime/language/deployment-names.ts';
import type { CollectorPlan } from './collector-plan.ts';
import { attr, block, comment, raw, template, type BodyItem, type HclValue } from './hcl.ts';
import { labels } from './names.ts';

/** What the function does with its own task queues: drain them (event source mappings) and feed them. */
export const QUEUE_ACTIONS = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:SendMessage',
];

/** The policy document and the policy (attached with iam_scope "collector"); `listed` false leaves the document empty. */
export function collectorsPolicyBlocks(plans: CollectorPlan[], listed: boolean): BodyItem[] {
  const policy = block(
    'resource',
    ['aws_iam_role_policy', 'collectors'],
    [
      attr('count', raw('var.iam_scope == "collector" ? 1 : 0')),
      attr('name', 'collectors'),
      attr('role', raw('var.function_role_name')),
      attr('policy', raw('data.aws_iam_policy_document.collectors.json')),
    ],
  );
  if (!listed) {
    return [
      comment(
        "No environment of collect.config.yaml has iam.scope: collector, so this policy names no collector and is\nnever attached (each collector's event source mapping waits for it all the same). With that scope it\nalso lists each collector's queue, output prefix and SSM parameters.",
      ),
      block('data', ['aws_iam_policy_document', 'collectors'], policyStatements([])),
      policy,
    ];
  }
  return [
    comment(
      'Each collector\'s resources by name, for environments with iam.scope: collector\n(collect.config.yaml); with "project", the root module grants by name prefix instead.',
    ),
    block('data', ['aws_iam_policy_document', 'collectors'], policyStatements(plans)),
    policy,
  ];
}

/** One statement per kind of access, listing each collector's resource once, so the policy stays small. */
function policyStatements(plans: CollectorPlan[]): BodyItem[] {
  const statement = (sid: string, actions: string[], resources: HclValue[], why?: string): BodyItem =>
    block(
      'statement',
      [],
      [...(why ? [comment(why)] : []), attr('sid', sid), attr('effect', 'Allow'), attr('actions', actions), attr('resources', resources)],
    );
  const prefix = (p: CollectorPlan): HclValue => template(raw('var.bucket_arn'), `/${p.outputResource}`);
  const statements: BodyItem[] = [
    statement(
      'ListOutputBucket',
      ['s3:ListBucket'],
      [raw('var.bucket_arn')],
      'Without it, a part or cursor that does not exist yet is a 403 instead of a 404.',
    ),
  ];
  if (plans.length > 0) {
    statements.unshift(
      statement(
        'UseOwnQueues',
        QUEUE_ACTIONS,
        plans.map((p) => raw(`aws_sqs_queue.${labels.tasksQueue(p.name)}.arn`)),
      ),
      statement(
        'ReadWriteOutputPrefixes',
        ['s3:GetObject', 's3:PutObject'],
        unique(plans.map(prefix)),
        'Read: a redelivered task checks for its part, and incremental collectors read their cursor.',
      ),
      statement(
        'WriteRunRows',
        ['s3:PutObject'],
        [template(raw('var.bucket_arn'), `/${RUN_ROWS_PREFIX}/*`)],
        'A finished run adds its row to the collect_runs table.',
      ),
    );
  }
  const parameters = [...new Set(plans.flatMap((p) => p.ssmParameters))].sort();
  if (parameters.length > 0) {
    statements.push(statement('ReadCollectorParameters', ['ssm:GetParameter'], parameters.map(parameterArn)));
  }
  return statements;
}

function parameterArn(parameter: string): HclValue {
  if (parameter.startsWith('arn:')) return parameter;
  return template(
    'arn:',
    raw('data.aws_partition.current.partition'),
    ':ssm:',
    raw('data.aws_region.current.region'),
    ':',
    raw('data.aws_caller_identity.current.account_id'),
    `:parameter${parameter}`,
  );
}

function unique(values: HclValue[]): HclValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
