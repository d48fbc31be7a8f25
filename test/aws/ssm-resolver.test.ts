import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { PowertoolsSsmResolver } from '../../runtime/adapters/aws/ssm-resolver.ts';
import { SecretError, SecretResolver } from '../../runtime/core/secrets.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';

let moto: Moto;
let aws: AwsTestClients;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
});
afterAll(() => moto?.stop());

describe('${ssm:/path} through Powertools Parameters', () => {
  it('resolves a SecureString, caches it, and redacts it', async () => {
    const name = `/collect/${uniqueName('token')}`;
    await aws.ssm.send(new PutParameterCommand({ Name: name, Value: 's3cr3t-value', Type: 'SecureString' }));
    let calls = 0;
    aws.ssm.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetParameterCommand') calls++;
        return next(args);
      },
      { step: 'initialize', name: uniqueName('count') },
    );
    const secrets = new SecretResolver({ USER: 'me' }, new PowertoolsSsmResolver({ client: aws.ssm }));
    expect(await secrets.expand(`Bearer \${ssm:${name}}`, {})).toBe('Bearer s3cr3t-value');
    expect(await secrets.expand(`token=\${ssm:${name}}&u=\${env:USER}`, {})).toBe('token=s3cr3t-value&u=me');
    expect(calls).toBe(1);
    expect(secrets.redact('GET /x?token=s3cr3t-value')).toBe('GET /x?token=[REDACTED]');
  });

  it('names the path, never a value, when a parameter is missing', async () => {
    const secrets = new SecretResolver({}, new PowertoolsSsmResolver({ client: aws.ssm }));
    const err = await secrets.expand('${ssm:/collect/does-not-exist}', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as Error).message).toMatch(/\/collect\/does-not-exist/);
  });
});
