// One Lambda execution environment for the tests: imports the built bundle
// (dist/lambda/index.mjs or the path in argv[2]) once, then runs invocations
// one at a time, read as JSON lines on stdin, answered as JSON lines on fd 3.
// Each invocation gets a fresh _X_AMZN_TRACE_ID (as Lambda sets one) and a
// context whose remaining time counts down to its deadline. stdout and stderr
// are the function's logs, as Lambda would capture them.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const results = createWriteStream(null, { fd: 3 });
const { handler } = await import(pathToFileURL(process.argv[2]).href);
results.write(`${JSON.stringify({ ready: true })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, event, deadline } = JSON.parse(line);
  process.env._X_AMZN_TRACE_ID = `Root=1-${Date.now().toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`;
  const context = {
    awsRequestId: randomUUID(),
    functionName: 'collect',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    results.write(`${JSON.stringify({ id, ok: true, result })}\n`);
  } catch (err) {
    results.write(`${JSON.stringify({ id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })}\n`);
  }
}
