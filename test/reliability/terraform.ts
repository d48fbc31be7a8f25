// Least privilege and a closed bucket, checked on the Terraform the project
// deploys: the hand-written root module (deploy/terraform/*.tf), whose function
// policy grants by the project's name prefix, and the per-collector policy of
// the module `generateTerraform` makes from the collectors (attached with
// iam.scope: collector), for the real collectors and for a few that ask for
// more (SSM secrets, incremental state, deep prefixes).
// test/deploy/* checks the same files in detail; this gathers the promises in
// one place and counts what was checked, for RELIABILITY.md.
import { join } from 'node:path';
import { iamProblems, policyStatements, type PolicyStatement } from '../../deploy/check/iam.ts';
import { parseModuleDir, type HclBody, type HclFile } from '../../deploy/check/parse.ts';
import { generateFromFiles } from '../../deploy/generate/from-files.ts';
import { generateTerraform } from '../../deploy/generate/generate.ts';
import { CONFIG_YAML, collector, generatedModule, projectConfig, repoRoot } from '../deploy/helpers.ts';
import { caseChecker, type CaseResult } from './verdict.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

/** Collectors that need more permissions than the examples: they must still get no wildcard. */
const DEMANDING = [
  collector('ssm-secrets', {
    request: { headers: { Authorization: 'Bearer ${ssm:/vendor/api-token}' }, query: { key: '${ssm:/vendor/api-key}' } },
    output: 's3://example-bucket/raw/vendor/{{ name }}',
  }),
  collector('incremental-feed', {
    parse: 'json',
    extract: { items: 'items', fields: { id: { path: 'id', required: true }, updated: 'updated' } },
    records: { dedupeKey: ['id'], incremental: { cursorField: 'updated' } },
    schedule: { expression: 'rate(1 hour)' },
    output: 's3://example-bucket/feeds/incremental/{{ name }}/v2',
  }),
  collector('deep-prefix', { output: 's3://example-bucket/a/b/c/d/e/{{ name }}' }),
];

export interface TerraformReport {
  cases: CaseResult[];
  statements: number;
  actions: number;
  resources: number;
  collectors: number;
}

function resources(files: Map<string, HclFile>, type: string): [string, HclBody][] {
  const out: [string, HclBody][] = [];
  for (const f of files.values())
    for (const [name, bodies] of Object.entries(f.resource?.[type] ?? {})) for (const b of bodies) out.push([name, b]);
  return out;
}

/**
 * Stricter than iamProblems on purpose: named actions only, and a resource
 * wildcard only as its last character, after a prefix that ends a path (`/`),
 * a name (`-`), the log streams (`:log-stream:`) or the SSM path prefix (a
 * variable that ends in `/`).
 */
function wildcardProblems(statements: PolicyStatement[]): string[] {
  const problems: string[] = [];
  for (const s of statements) {
    const where = `${s.document}${s.sid ? ` (${s.sid})` : ''}`;
    for (const a of s.actions) if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(a)) problems.push(`${where}: action ${a}`);
    for (const r of s.resources) {
      const prefix = r.slice(0, -1);
      const scoped =
        r.endsWith('*') &&
        !/[*?]/.test(prefix) &&
        /^(?:arn:|\$\{)/.test(prefix) &&
        /(?:\/|-|:log-stream:|\$\{var\.ssm_path_prefix\})$/.test(prefix);
      if (r === '*' || (r.includes('*') && !scoped)) problems.push(`${where}: resource ${r}`);
    }
    if (s.negations.length) problems.push(`${where}: ${s.negations.join(', ')}`);
    for (const p of s.principals) if (p.includes('*')) problems.push(`${where}: principal ${p}`);
  }
  return problems;
}

export async function runTerraformChecks(): Promise<TerraformReport> {
  const root = await parseModuleDir(join(repoRoot, 'deploy/terraform'));
  const fromRepo = await generateFromFiles({ cwd: repoRoot, config: 'collect.config.yaml', collectors: ['collectors'] });
  const real = await generatedModule(fromRepo.files);
  // iam.scope collector: the generated module then names each collector's resources (with "project" the root module
  // grants by name prefix, checked below).
  const demanding = await generatedModule(
    generateTerraform([...DEMANDING, collector('plain')].map(resolveCollector), projectConfig(`${CONFIG_YAML}iam: { scope: collector }\n`)),
  );
  const cases: CaseResult[] = [];
  let statements = 0;
  let actions = 0;
  let resourceCount = 0;

  for (const [name, files] of [
    ['root module (deploy/terraform)', root],
    ['generated module, the collectors of this repository', real],
    ['generated module, collectors with SSM secrets, incremental state and deep prefixes', demanding],
  ] as const) {
    const { result, check } = caseChecker(`${name}: no wildcard action or resource`);
    const found = policyStatements(files);
    statements += found.length;
    actions += found.reduce((n, s) => n + s.actions.length, 0);
    resourceCount += found.reduce((n, s) => n + s.resources.length, 0);
    check(found.length > 0, 'no policy statement found');
    for (const p of iamProblems(files)) check(false, `${p.where}: ${p.message}`);
    for (const p of wildcardProblems(found)) check(false, p);
    cases.push(result);
  }

  // The demanding collectors got what they need, named one by one (else the check above proves little).
  const named = caseChecker('generated module: each SSM parameter and output prefix named on its own');
  const granted = policyStatements(demanding);
  const resourcesOf = (action: string) => granted.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
  named.check(
    resourcesOf('ssm:GetParameter').some((r) => r.endsWith('parameter/vendor/api-token')),
    `ssm:GetParameter on ${resourcesOf('ssm:GetParameter').join(', ')}`,
  );
  named.check(
    resourcesOf('s3:PutObject').some((r) => r.endsWith('/feeds/incremental/incremental-feed/v2/*')),
    `s3:PutObject on ${resourcesOf('s3:PutObject').join(', ')}`,
  );
  named.check(resourcesOf('s3:GetObject').length > 0, 'the incremental collector cannot read its state back');
  cases.push(named.result);

  // Everything the function may reach is the project's own: named after the function, or its own bucket, ledger, topic, keys.
  const own = caseChecker("root module: the function reaches only the project's own resources");
  const OWN = [
    /^\$\{aws_[a-z0-9_]+\.[a-z0-9_]+\.arn\}/, // a resource of this module
    /^\$\{local\.bucket_arn\}(\/\*)?$/,
    /^arn:\$\{data\.aws_partition\.current\.partition\}:(sqs|ssm):\$\{data\.aws_region\.current\.region\}:\$\{data\.aws_caller_identity\.current\.account_id\}:(\$\{var\.function_name\}-\*|parameter\$\{var\.ssm_path_prefix\}\*)$/,
    /^\$\{statement\.value\}$/, // the alarm topic and the KMS keys of collect.config.yaml
  ];
  const functionPolicy = policyStatements(root).filter((s) => s.document === 'data.aws_iam_policy_document.function');
  own.check(functionPolicy.length >= 8, `${functionPolicy.length} statements in the function policy`);
  for (const st of functionPolicy)
    for (const r of st.resources)
      own.check(
        OWN.some((p) => p.test(r)),
        `${st.sid}: ${r} is not the project's own`,
      );
  cases.push(own.result);

  const bucket = caseChecker('output bucket: encrypted at rest');
  const sse = resources(root, 'aws_s3_bucket_server_side_encryption_configuration');
  const created = resources(root, 'aws_s3_bucket');
  bucket.check(created.length === 1, `${created.length} buckets created`);
  bucket.check(sse.length === created.length, 'a created bucket has no encryption configuration');
  bucket.check(
    sse.every(([, b]) => /"sse_algorithm":"(AES256|aws:kms)"/.test(JSON.stringify(b.rule))),
    `encryption: ${JSON.stringify(sse.map(([, b]) => b.rule))}`,
  );
  cases.push(bucket.result);

  const closed = caseChecker('output bucket: not public');
  const blocks = resources(root, 'aws_s3_bucket_public_access_block');
  closed.check(blocks.length === created.length, 'a created bucket has no public access block');
  for (const [, b] of blocks) {
    for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
      closed.check(b[k] === true, `${k} is ${String(b[k])}`);
  }
  for (const files of [root, real, demanding]) {
    for (const type of [
      'aws_s3_bucket_policy',
      'aws_s3_bucket_acl',
      'aws_s3_bucket_website_configuration',
      'aws_s3_bucket_cors_configuration',
    ]) {
      closed.check(resources(files, type).length === 0, `a ${type} resource exists`);
    }
  }
  cases.push(closed.result);

  const trust = caseChecker('roles: assumable only by the AWS service that runs them');
  const trustStatements = policyStatements(root).filter((s) => s.actions.includes('sts:AssumeRole'));
  trust.check(trustStatements.length >= 2, `${trustStatements.length} trust policies`);
  for (const s of trustStatements) {
    trust.check(
      s.principals.length > 0 && s.principals.every((p) => /^[a-z]+\.amazonaws\.com$/.test(p)),
      `${s.document}: principals ${s.principals.join(', ')}`,
    );
  }
  cases.push(trust.result);

  return { cases, statements, actions, resources: resourceCount, collectors: fromRepo.collectorCount + DEMANDING.length + 1 };
}
