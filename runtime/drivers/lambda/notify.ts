// The optional SNS topic of a project: told which collector's run failed or
// stalled, and why, in a message a person reads (the project-wide alarm says
// only that some run failed).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export interface RunNotice {
  collector: string;
  runId: string;
  status: 'failed' | 'stalled';
  problems: string[];
  /** Where the run's files are (`s3://bucket/prefix/dt=…/run=…/`). */
  location: string;
}

export interface Notifier {
  notify(notice: RunNotice): Promise<void>;
}

export const silentNotifier: Notifier = { notify: async () => {} };

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(n: RunNotice): Promise<void> {
    const subject = `collect: ${n.collector} run ${n.runId} ${n.status}`;
    const message = [
      `${subject}.`,
      '',
      ...n.problems.map((p) => `- ${p}`),
      '',
      `Files: ${n.location}`,
      `Details: npx collect status ${n.collector} ${n.runId}`,
    ].join('\n');
    // SNS subjects are at most 100 characters.
    await this.sns.send(new PublishCommand({ TopicArn: this.topicArn, Subject: subject.slice(0, 100), Message: message }));
  }
}
