// Least privilege, checked on the Terraform itself: every policy is an
// aws_iam_policy_document (so its statements can be read here), no action holds a
// wildcard, and a resource holds one only as the last character of a prefix that
// is the project's own: an S3 object prefix below the output bucket (the whole
// bucket in the root module), the log streams of the function's log group, the
// queues named after the function in its account and region, and the SSM
// parameters below the project's path prefix.
import type { HclBody, HclFile } from './parse.ts';

export interface PolicyStatement {
  file: string;
  /** `data.aws_iam_policy_document.NAME`. */
  document: string;
  sid?: string;
  effect: string;
  actions: string[];
  resources: string[];
  /** `not_actions`, `not_resources`, `not_principals`: each is a wildcard in disguise. */
  negations: string[];
  principals: string[];
}

export interface IamProblem {
  file: string;
  where: string;
  message: string;
}

/** Arguments that hold a policy document as JSON. */
const POLICY_ARGUMENTS = new Set(['policy', 'assume_role_policy']);
const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.[A-Za-z_][A-Za-z0-9_-]*\.json\}$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
/** `arn:<partition>:<service>:<region>:<account>:` from the data sources, as a regex. */
const ACCOUNT_AND_REGION = (service: string): string =>
  `arn:\\$\\{data\\.aws_partition\\.current\\.partition\\}:${service}:\\$\\{data\\.aws_region\\.current\\.region\\}:\\$\\{data\\.aws_caller_identity\\.current\\.account_id\\}:`;
/** The only wildcards a resource may carry. */
const SCOPED_WILDCARDS = [
  // Objects below a fixed, non-empty prefix of the output bucket: ${var.bucket_arn}/raw/books/*
  /^\$\{(?:var|local)\.bucket_arn\}\/[^*?${}]+\*$/,
  // Every object of the project's own bucket, in the root module: ${local.bucket_arn}/*
  /^\$\{local\.bucket_arn\}\/\*$/,
  // The log streams of one log group: ${aws_cloudwatch_log_group.function.arn}:log-stream:*
  /^\$\{aws_cloudwatch_log_group\.[A-Za-z_][A-Za-z0-9_]*\.arn\}:log-stream:\*$/,
  // The queues named after the function, in its account and region: arn:…:sqs:…:${var.function_name}-*
  new RegExp(`^${ACCOUNT_AND_REGION('sqs')}\\$\\{var\\.function_name\\}-\\*$`),
  // The SSM parameters below the project's path (a variable that starts and ends with "/"): arn:…:parameter${var.ssm_path_prefix}*
  new RegExp(`^${ACCOUNT_AND_REGION('ssm')}parameter\\$\\{var\\.ssm_path_prefix\\}\\*$`),
];

export function policyStatements(files: Map<string, HclFile>): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const [file, parsed] of files) {
    for (const [name, bodies] of Object.entries(parsed.data?.aws_iam_policy_document ?? {})) {
      const document = `data.aws_iam_policy_document.${name}`;
      for (const body of bodies) {
        for (const statement of asBodies(body.statement)) out.push(toStatement(file, document, statement));
        const dynamic = (body.dynamic ?? {}) as Record<string, unknown>;
        for (const generator of asBodies(dynamic.statement)) {
          for (const content of asBodies(generator.content)) out.push(toStatement(file, document, content));
        }
      }
    }
  }
  return out;
}

function toStatement(file: string, document: string, s: HclBody): PolicyStatement {
  const negations = ['not_actions', 'not_resources', 'not_principals'].filter((k) => k in s);
  const principals = asBodies(s.principals).flatMap((p) => strings(p.identifiers));
  return {
    file,
    document,
    ...(typeof s.sid === 'string' ? { sid: s.sid } : {}),
    effect: typeof s.effect === 'string' ? s.effect : 'Allow',
    actions: strings(s.actions),
    resources: strings(s.resources),
    negations,
    principals,
  };
}

/** Wildcards and unreadable policies anywhere in a module. */
export function iamProblems(files: Map<string, HclFile>): IamProblem[] {
  const problems: IamProblem[] = [];
  for (const s of policyStatements(files)) {
    const where = `${s.document}${s.sid ? ` (${s.sid})` : ''}`;
    const report = (message: string): void => {
      problems.push({ file: s.file, where, message });
    };
    for (const n of s.negations) report(`uses ${n}, which grants everything it does not name`);
    for (const action of s.actions) {
      if (!ACTION.test(action)) report(`action "${action}" is not one named action (no wildcards, no expressions)`);
    }
    for (const resource of s.resources) {
      if (resource === '*' || (resource.includes('*') && !SCOPED_WILDCARDS.some((p) => p.test(resource)))) {
        report(`resource "${resource}" is a wildcard`);
      }
    }
    for (const principal of s.principals) if (principal.includes('*')) report(`principal "${principal}" is a wildcard`);
    if (s.effect === 'Allow' && s.resources.length === 0 && s.principals.length === 0) report('allows actions without naming a resource');
  }
  for (const [file, parsed] of files) {
    for (const [type, byName] of Object.entries(parsed.resource ?? {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of bodies) {
          for (const [argument, value] of Object.entries(body)) {
            if (!POLICY_ARGUMENTS.has(argument)) continue;
            if (typeof value !== 'string' || !DOCUMENT_REFERENCE.test(value)) {
              problems.push({
                file,
                where: `${type}.${name}.${argument}`,
                message: 'a policy must come from a data "aws_iam_policy_document", so that it can be checked',
              });
            }
          }
        }
      }
    }
  }
  return problems;
}

function asBodies(value: unknown): HclBody[] {
  return Array.isArray(value) ? value.filter((v): v is HclBody => v !== null && typeof v === 'object' && !Array.isArray(v)) : [];
}

/** A list of literal strings; an expression standing for the whole list is kept as its one string. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [];
}
