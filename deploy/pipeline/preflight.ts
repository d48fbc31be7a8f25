// What must be true before `collect deploy` runs anything: a terraform binary on
// PATH and some source of AWS credentials. Each failure says how to fix it.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

export const MISSING_TERRAFORM = [
  'terraform was not found on PATH.',
  'Install Terraform 1.10 or later (https://developer.hashicorp.com/terraform/install;',
  'on macOS `brew install hashicorp/tap/terraform`), check that `terraform version` works,',
  'then run `npm run deploy` again.',
].join('\n');

export const MISSING_CREDENTIALS = [
  'No AWS credentials found.',
  'Sign in and point the deploy at them, then run `npm run deploy` again:',
  '  - a named profile: `aws configure sso` (or `aws configure`), then `export AWS_PROFILE=<profile>`;',
  '  - access keys: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN);',
  '  - CI: assume a role with OIDC (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE),',
  '    e.g. aws-actions/configure-aws-credentials on GitHub Actions.',
].join('\n');

/** The absolute path of an executable found on PATH, as a shell would find it. */
function findExecutable(name: string, env: Env): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}

/**
 * Whether the AWS SDK (and so Terraform's AWS provider) has somewhere to take
 * credentials from. An EC2 instance role cannot be seen without a network call;
 * such a host says so with a [default] section in ~/.aws/config (a region is enough).
 */
export function credentialSource(env: Env): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'AWS_ACCESS_KEY_ID';
  if (env.AWS_PROFILE) return `AWS_PROFILE=${env.AWS_PROFILE}`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return 'AWS_WEB_IDENTITY_TOKEN_FILE';
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return 'container credentials';
  const home = env.HOME ?? env.USERPROFILE;
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? (home && join(home, '.aws', 'credentials')),
    env.AWS_CONFIG_FILE ?? (home && join(home, '.aws', 'config')),
  ];
  for (const file of files) {
    if (file && hasDefaultProfile(file)) return `the default profile in ${file}`;
  }
  return undefined;
}

function hasDefaultProfile(file: string): boolean {
  try {
    return /^\s*\[(profile\s+)?default\]\s*$/m.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** Throws with the fix when something is missing; returns the terraform path. */
export function preflight(env: Env): { terraform: string; credentials: string } {
  const terraform = findExecutable('terraform', env);
  if (!terraform) throw new PreflightError(MISSING_TERRAFORM);
  const credentials = credentialSource(env);
  if (!credentials) throw new PreflightError(MISSING_CREDENTIALS);
  return { terraform, credentials };
}
