// Cold init: the time to import the bundle in a fresh Node process (what
// Lambda's init phase pays for our code), the median of several runs.
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function coldInitMs(bundle: string, runs = 5): Promise<number> {
  const url = pathToFileURL(bundle).href;
  const script = [
    'const t = performance.now();',
    `const m = await import(${JSON.stringify(url)});`,
    "if (typeof m.handler !== 'function') throw new Error('no handler export');",
    'console.log(performance.now() - t);',
  ].join(' ');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      // What Lambda and the Terraform (deploy/terraform/function.tf) set, at least what the function
      // requires at cold start; no real AWS call happens at import.
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        COLLECT_BUCKET: 'example',
        COLLECT_QUEUE_URL_PREFIX: 'https://sqs.us-east-1.amazonaws.com/123456789012/collect-',
        COLLECT_LEDGER_TABLE: 'collect-ledger',
        COLLECT_DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:collect-dead-letters',
      },
    });
    times.push(Number(stdout.trim()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
