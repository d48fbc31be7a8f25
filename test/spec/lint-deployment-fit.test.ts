// A collector uses only what the deployed function has: the env of
// collect.config.yaml, the SSM parameters below its path prefix, and a timeout
// that fits one page with every retry. The facts come from the project config
// (deploy/config/deployment-facts.ts); here they are written out.
import { describe, expect, it } from 'vitest';
import { formatDiagnosticText, sortDiagnostics } from '../../runtime/language/diagnostic.ts';
import type { DeploymentFacts } from '../../runtime/language/lint/deployment-fit.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { FILE, check, doc } from './helpers.ts';

const FACTS: DeploymentFacts = {
  envNames: ['PARTNER_API_URL'],
  iamScope: 'project',
  ssmPathPrefixes: ['/collect/'],
  timeoutSeconds: 300,
};

function checkFit(text: string, facts: Partial<DeploymentFacts> = {}): string[] {
  const { diagnostics } = loadCollectorText(text, FILE, { deployment: { ...FACTS, ...facts } });
  return sortDiagnostics(diagnostics).map(formatDiagnosticText);
}

const ENV_HINT =
  '(a secret belongs in SSM Parameter Store, referenced as ${ssm:/path}; a plain value goes under env: in collect.config.yaml';

describe('deployment fit: ${env:NAME}', () => {
  it('accepts a variable of the project env, and says nothing without facts (local runs)', () => {
    const text = doc('request:', '  headers:', '    X-Base: ${env:PARTNER_API_URL}', '    X-Home: ${env:HOME}');
    expect(check(text)).toEqual([]);
    expect(checkFit(doc('request:', '  headers:', '    X-Base: ${env:PARTNER_API_URL}'))).toEqual([]);
  });

  it('refuses a variable the function does not have, pointing at the reference itself', () => {
    expect(checkFit(doc('request:', '  headers:', '    Authorization: Bearer ${env:API_TOKEN}'))).toEqual([
      `collectors/t.yaml:13:27 error request.headers.Authorization: \${env:API_TOKEN}: the deployed function has no environment variable API_TOKEN ${ENV_HINT} (API_TOKEN: …))`,
    ]);
  });

  it('finds references in the query, the JSON body (nested) and the form', () => {
    const lines = checkFit(
      doc('request:', '  query:', '    key: "${env:Q_KEY}"', '  body:', '    json:', '      auth: { list: ["x", "a ${env:IN_LIST} b"] }'),
    );
    expect(lines.map((l) => l.replace(/ \(a secret.*$/, ''))).toEqual([
      'collectors/t.yaml:13:11 error request.query.key: ${env:Q_KEY}: the deployed function has no environment variable Q_KEY',
      'collectors/t.yaml:16:30 error request.body.json.auth.list[1]: ${env:IN_LIST}: the deployed function has no environment variable IN_LIST',
    ]);
  });

  it('names the environments that lack a variable set only in some', () => {
    const lines = checkFit(doc('request:', '  headers:', '    X-Base: ${env:PARTNER_API_URL}'), {
      envNames: [],
      envMissingIn: { PARTNER_API_URL: ['prod'] },
    });
    expect(lines).toEqual([
      `collectors/t.yaml:13:13 error request.headers.X-Base: \${env:PARTNER_API_URL}: the function has no environment variable PARTNER_API_URL in environment prod ${ENV_HINT} (PARTNER_API_URL: …))`,
    ]);
  });
});

describe('deployment fit: ${ssm:/path}', () => {
  const SSM_HINT =
    '(move the parameter under /collect/ (e.g. /collect/vendor/token), or set iam.scope: collector in collect.config.yaml to grant each parameter by name)';

  it('accepts a parameter below the path prefix, written as a path, a name, an ARN or with {{ name }}', () => {
    const text = doc(
      'variables:',
      '  team: { values: [a, b] }',
      'request:',
      '  headers:',
      '    A: ${ssm:/collect/vendor/token}',
      '    B: ${ssm:collect/vendor/key}',
      '    C: ${ssm:arn:aws:ssm:eu-west-1:123456789012:parameter/collect/x}',
      '    D: ${ssm:/collect/{{ name }}/token}',
      '    E: ${ssm:/collect/{{ team }}/token}',
    );
    expect(checkFit(text)).toEqual([]);
  });

  it('refuses a parameter outside the path prefix with project scope, at the reference', () => {
    expect(checkFit(doc('request:', '  headers:', '    Authorization: Bearer ${ssm:/vendor/token}'))).toEqual([
      `collectors/t.yaml:13:27 error request.headers.Authorization: \${ssm:/vendor/token}: the function may read only the SSM parameters below /collect/ (ssm.pathPrefix of collect.config.yaml) ${SSM_HINT}`,
    ]);
    expect(
      checkFit(doc('variables:', '  team: { values: [a, b] }', 'request:', '  headers:', '    A: ${ssm:/other/{{ team }}/token}')),
    ).toHaveLength(1);
    expect(checkFit(doc('request:', '  headers:', '    A: ${ssm:arn:aws:ssm:eu-west-1:123456789012:parameter/other/x}'))).toHaveLength(1);
  });

  it('accepts any parameter with collector scope, where each is granted by name', () => {
    const text = doc('request:', '  headers:', '    Authorization: Bearer ${ssm:/vendor/token}');
    expect(checkFit(text, { iamScope: 'collector', ssmPathPrefixes: [] })).toEqual([]);
  });

  it('needs a parameter to be below the prefix of every environment with project scope', () => {
    const text = doc('request:', '  headers:', '    A: ${ssm:/collect/x}');
    expect(checkFit(text, { ssmPathPrefixes: ['/collect/', '/collect-prod/'] })).toEqual([
      'collectors/t.yaml:13:8 error request.headers.A: ${ssm:/collect/x}: the function may read only the SSM parameters below /collect-prod/ (ssm.pathPrefix of collect.config.yaml) (move the parameter under /collect-prod/ (e.g. /collect-prod/collect/x), or set iam.scope: collector in collect.config.yaml to grant each parameter by name)',
    ]);
  });
});

describe('deployment fit: the function timeout', () => {
  const HINT =
    'raise timeoutSeconds in collect.config.yaml to at least 215, or lower request.timeoutSeconds, request.retries.attempts or request.retries.maxDelaySeconds';

  it('accepts the defaults with the default timeout (30 s x 4 tries + 3 x 30 s + 5 s = 215 s)', () => {
    expect(checkFit(doc(), { timeoutSeconds: 300 })).toEqual([]);
    expect(checkFit(doc(), { timeoutSeconds: 215 })).toEqual([]);
  });

  it('refuses a timeout too short for one page with every retry, with both numbers and the fix', () => {
    expect(checkFit(doc(), { timeoutSeconds: 120, timeoutEnvironment: 'dev' })).toEqual([
      `collectors/t.yaml:1:1 error name: one page can take 215 s (request.timeoutSeconds 30 s x 4 tries, 3 retries x up to 30 s of backoff, 5 s to spare), more than the function's timeout of 120 s of environment dev (${HINT})`,
    ]);
  });

  it('points at what the collector wrote, and counts what it wrote', () => {
    const lines = checkFit(doc('request:', '  timeoutSeconds: 60', '  retries: { attempts: 5, maxDelaySeconds: 10 }'), {
      timeoutSeconds: 300,
    });
    // 60 x 6 + 5 x 10 + 5 = 415
    expect(lines).toEqual([
      expect.stringMatching(
        /^collectors\/t\.yaml:12:19 error request\.timeoutSeconds: one page can take 415 s \(request\.timeoutSeconds 60 s x 6 tries, 5 retries x up to 10 s of backoff, 5 s to spare\), more than the function's timeout of 300 s \(raise timeoutSeconds in collect\.config\.yaml to at least 415,/,
      ),
    ]);
    const retries = checkFit(doc('request:', '  retries:', '    attempts: 0'), { timeoutSeconds: 30 });
    expect(retries).toEqual([
      expect.stringMatching(
        /^collectors\/t\.yaml:13:5 error request\.retries: one page can take 35 s \(request\.timeoutSeconds 30 s x 1 try, 0 retries x up to 30 s of backoff/,
      ),
    ]);
    expect(checkFit(doc('request:', '  retries:', '    attempts: 0'), { timeoutSeconds: 35 })).toEqual([]);
  });
});
