import { parseArgs } from 'node:util';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { SqsTaskQueue } from '../../../adapters/aws/sqs-queue.ts';
import { isRunId } from '../../../core/engine/run-id.ts';
import { awsNames } from '../../../language/deployment-names.ts';
import { awsClients, awsProject, missingDeployment } from '../aws-project.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';

const usage = `Usage: collect retry COLLECTOR RUN_ID [options]

Retries the tasks of a run on AWS that failed for good (every delivery failed,
and the function recorded them from the dead-letter queue), after a fix: they
are opened again in the run ledger and sent to the collector's queue. The run
is running again until they end, and then ends (and writes its manifest) anew.
Tasks that succeeded are not run again, so no record is written twice.

Options:
  --env NAME           environment of collect.config.yaml (default dev)
  --config FILE        project config (default collect.config.yaml at the project's root)
  --function NAME      the deployment's function name, instead of reading the config
  --endpoint URL       AWS endpoint, e.g. moto or LocalStack (default: the SDK's)

Exit status: 0 when failed tasks were sent again (or there were none); 1 when
the run is not found; 2 for a usage error.

Example:
  collect retry books-toscrape 20261130T060000Z --env prod`;

export const retryCommand: Command = {
  name: 'retry',
  summary: 'send the failed tasks of a run on AWS again, after a fix',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { env: { type: 'string' }, config: { type: 'string' }, function: { type: 'string' }, endpoint: { type: 'string' } },
    });
    if (positionals.length !== 2) throw new UsageError('give a collector and a run id');
    const [collector, runId] = positionals as [string, string];
    if (!isRunId(runId)) throw new UsageError(`"${runId}" is not a run id (like 20240101T060000Z)`);
    const project = await awsProject(io, values);
    const clients = awsClients(io, project, values.endpoint);
    try {
      const run = await clients.ledger.get(collector, runId);
      if (!run) {
        io.stderr.write(`collect retry: no run ${runId} of ${collector} in ${project.functionName}'s ledger\n`);
        return 1;
      }
      const failed = await clients.ledger.failedTasks(collector, runId);
      if (failed.length === 0) {
        io.stdout.write(`${collector} ${runId}: no failed tasks (${run.state})\n`);
        return 0;
      }
      const queueName = `${project.functionName}-${awsNames.tasksQueue(collector)}`;
      const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      const reopened = await clients.ledger.reopen(
        collector,
        runId,
        failed.map((f) => f.task.id),
      );
      // Opened before they are sent: the run cannot end between the two.
      await new SqsTaskQueue(clients.sqs, QueueUrl!).send(reopened);
      io.stdout.write(
        `${collector} ${runId}: ${reopened.length} failed task${reopened.length === 1 ? '' : 's'} sent again; follow with: npx collect status ${collector} ${runId} --wait\n`,
      );
      return 0;
    } catch (err) {
      const missing = missingDeployment(err, project);
      if (!missing) throw err;
      io.stderr.write(`collect retry: ${missing}\n`);
      return 1;
    } finally {
      clients.destroy();
    }
  },
};
