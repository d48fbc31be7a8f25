// Generated IAM has no wildcard action or resource but the project's own name
// prefixes; the bucket is encrypted and not public. Over the root module and the module generateTerraform makes from
// the collectors, real and demanding ones. Scenario in terraform.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTerraformChecks, type TerraformReport } from './terraform.ts';

let report: TerraformReport;
beforeAll(async () => {
  report = await runTerraformChecks();
});

describe('the deployed Terraform', () => {
  it('checks every policy statement there is', () => {
    expect(report.statements).toBeGreaterThan(8);
    expect(report.actions).toBeGreaterThan(report.statements);
  });

  it.each([
    'root module (deploy/terraform): no wildcard action or resource',
    'generated module, the collectors of this repository: no wildcard action or resource',
    'generated module, collectors with SSM secrets, incremental state and deep prefixes: no wildcard action or resource',
    'generated module: each SSM parameter and output prefix named on its own',
    "root module: the function reaches only the project's own resources",
    'output bucket: encrypted at rest',
    'output bucket: not public',
    'roles: assumable only by the AWS service that runs them',
  ])('%s', (name) => {
    expect(report.cases.find((c) => c.name === name)?.problems).toEqual([]);
  });
});
