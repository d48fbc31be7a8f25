// A 1,000-page books run through the Lambda handler, in this one process, the way
// one function instance meets it: the scheduler event, then the queue's batches one
// at a time (the collector's default batch size), on S3, SQS and DynamoDB (the run
// ledger) from moto, until the run has ended itself (its _manifest.json written).
// Prints one JSON line: peak RSS, log bytes and S3 PUTs of the whole run.
//   BENCH_SITE_URL=http://127.0.0.1:N BENCH_COLLECTOR=bench/collectors/books-bench.yaml node --import tsx bench/lambda-run.ts
// Uses the Lambda tests' harness (test/lambda/support.ts, test/helpers/*): the
// same deployment, queue driver and PUT counter the e2e test asserts with.
import { getHeapStatistics } from 'node:v8';
import { loadCollectorFile } from '../runtime/language/load.ts';
import { countPuts, readAllRecords } from '../test/aws/s3-read.ts';
import { drainQueue } from '../test/helpers/esm-driver.ts';
import { motoClients, startMoto } from '../test/helpers/moto.ts';
import { captureOutput, deploy, lambdaContext, lambdaTraceId } from '../test/lambda/support.ts';
import { checkRecords } from './check.ts';

const siteUrl = process.env.BENCH_SITE_URL!;
const pages = Number(process.env.BENCH_PAGES ?? 1050);
const count = Number(process.env.BENCH_COUNT ?? 1000);

const { collector, hash } = await loadCollectorFile(process.env.BENCH_COLLECTOR!);
const embedded = { hash, collector: { ...collector, variables: { ...collector.variables, base_url: siteUrl } } };
const moto = await startMoto();
const aws = motoClients(moto.endpoint);
const dep = await deploy(aws, [embedded]);
const puts = countPuts(aws.s3);
const scheduledTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const started = Date.now();
// As on Lambda, where every invocation has a trace id: Powertools buffers debug lines per trace.
const untrace = lambdaTraceId();
const out = captureOutput();
let runId: string;
try {
  ({ runId } = (await dep.handler({ collector: collector.name, scheduledTime }, lambdaContext(900_000))) as { runId: string });
  await drainQueue({
    sqs: aws.sqs,
    queueUrl: dep.queues[collector.name]!.url,
    // The dead letters too: a run ends only once they are recorded.
    deadLetterQueueUrl: dep.deadLetterQueue.url,
    handler: dep.handler,
    batchSize: collector.scaling?.batchSize ?? 5,
    // One instance: a batch at a time, as one function instance runs them.
    concurrency: 1,
    timeoutMs: 900_000,
    deadlineMs: 300_000,
  });
} finally {
  out.restore();
  untrace();
  await dep.handler.close();
}
const wallS = (Date.now() - started) / 1000;
const records = await readAllRecords(aws.s3, dep.bucket);
const check = checkRecords('books', records, count);
// The function ends the run itself when its last task is done.
const run = await dep.ledger.get(collector.name, runId);
if (run?.state !== 'succeeded')
  process.stderr.write(`the run did not end succeeded: ${run ? `${run.state}, ${run.open} tasks open` : 'not in the ledger'}\n`);
await moto.stop();
const logBytes = Buffer.byteLength(out.text());
process.stdout.write(
  `${JSON.stringify({
    pages,
    wallS,
    records: records.length,
    check,
    runState: run?.state ?? null,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    heapLimitMiB: getHeapStatistics().heap_size_limit / 2 ** 20,
    logBytes,
    puts: puts.puts,
  })}\n`,
);
