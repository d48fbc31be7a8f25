// A proxy between the function and moto that sees every AWS call (S3, SQS,
// DynamoDB, SSM, SNS), counts them, and can break them on purpose: answer an
// error, or "crash" the function just before a call or just after it succeeded
// (the call's effect is in moto, but the function never learns of it), the
// moments between two steps at which a real process can die.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsCall {
  service: 's3' | 'sqs' | 'dynamodb' | 'ssm' | 'sns' | 'other';
  op: string;
  /** The S3 key (after the bucket) of an S3 call. */
  key?: string;
  /** The request body of a JSON call (SQS, DynamoDB, SSM): what a rule can look into, e.g. an UpdateExpression. */
  detail?: string;
  /** The HTTP status moto answered (or the injected one). */
  status?: number;
  injected?: 'fail' | 'crash-before' | 'crash-after';
}

export interface FaultRule {
  match: (call: AwsCall) => boolean;
  action: 'fail' | 'crash-before' | 'crash-after';
  /** Matching calls let through before the rule acts. Default 0. */
  skip?: number;
  /** How many matching calls it acts on (the SDK retries a failed call: fail it 3 times to fail the operation). Default 1. */
  times?: number;
  /** Status of an injected failure. Default 500. */
  status?: number;
}

interface ActiveRule extends FaultRule {
  seen: number;
  acted: number;
}

/** The rules and the log of calls, shared by the proxies of every function process. */
export class Faults {
  readonly calls: AwsCall[] = [];
  private readonly rules: ActiveRule[] = [];

  addRule(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0, acted: 0 });
  }

  clearRules(): void {
    this.rules.length = 0;
  }

  count(service: AwsCall['service'], op: string, keyPattern?: RegExp): number {
    return this.calls.filter((c) => c.service === service && c.op === op && !c.injected && (!keyPattern || keyPattern.test(c.key ?? '')))
      .length;
  }

  /** How often rules acted, by action. */
  injected(action: NonNullable<AwsCall['injected']>): number {
    return this.calls.filter((c) => c.injected === action).length;
  }

  private dynamoTail: Promise<unknown> = Promise.resolve();

  /**
   * moto's DynamoDB takes no lock: two updates of one item at the same moment
   * can lose one, where DynamoDB would apply both. Its calls go to moto one at
   * a time, in arrival order (the function processes still interleave call by
   * call, as on AWS), so a lost update in a test is the runtime's, not moto's.
   */
  oneAtATime<T>(call: AwsCall, send: () => Promise<T>): Promise<T> {
    if (call.service !== 'dynamodb') return send();
    const result = this.dynamoTail.then(send, send);
    this.dynamoTail = result.catch(() => undefined);
    return result;
  }

  ruleFor(call: AwsCall): ActiveRule | undefined {
    for (const rule of this.rules) {
      if (!rule.match(call)) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0) || rule.acted >= (rule.times ?? 1)) continue;
      rule.acted++;
      return rule;
    }
    return undefined;
  }
}

/** One function process's way to AWS: its calls go through the shared rules, and a crash kills that process. */
export class FaultProxy {
  private server: Server | undefined;
  /** What a crash does: kill this proxy's function process. */
  onCrash: () => void = () => {};
  url = '';

  constructor(
    private readonly target: string,
    private readonly faults: Faults,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const call = classify(req, body);
    this.faults.calls.push(call);
    const rule = this.faults.ruleFor(call);
    if (rule?.action === 'fail') {
      call.injected = 'fail';
      call.status = rule.status ?? 500;
      failWith(res, call, call.status);
      return;
    }
    if (rule?.action === 'crash-before') {
      call.injected = 'crash-before';
      this.onCrash();
      res.destroy();
      return;
    }
    const upstream = await this.faults.oneAtATime(call, () => forward(this.target, req, body));
    call.status = upstream.status;
    if (rule?.action === 'crash-after') {
      call.injected = 'crash-after';
      this.onCrash();
      res.destroy();
      return;
    }
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }
}

function classify(req: IncomingMessage, body: Buffer): AwsCall {
  const target = String(req.headers['x-amz-target'] ?? '');
  const detail = body.toString('utf8');
  if (target.startsWith('AmazonSQS.')) return { service: 'sqs', op: target.slice('AmazonSQS.'.length), detail };
  if (target.startsWith('DynamoDB_')) return { service: 'dynamodb', op: target.slice(target.indexOf('.') + 1), detail };
  if (target.startsWith('AmazonSSM.')) return { service: 'ssm', op: target.slice('AmazonSSM.'.length), detail };
  const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
    ? new URLSearchParams(body.toString())
    : undefined;
  const action = form?.get('Action');
  if (action) return { service: action === 'Publish' ? 'sns' : 'sqs', op: action };
  const url = new URL(req.url ?? '/', 'http://x');
  const [, , ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const method = req.method ?? 'GET';
  if (method === 'PUT') return { service: 's3', op: 'PutObject', key };
  if (method === 'HEAD') return { service: 's3', op: 'HeadObject', key };
  if (method === 'DELETE') return { service: 's3', op: 'DeleteObject', key };
  if (method === 'GET' && url.searchParams.has('list-type')) return { service: 's3', op: 'ListObjectsV2', key };
  if (method === 'GET') return { service: 's3', op: 'GetObject', key };
  return { service: 'other', op: method };
}

function failWith(res: ServerResponse, call: AwsCall, status: number): void {
  if (call.service === 's3') {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the test</Message></Error>');
    return;
  }
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'InternalFailure' });
  res.end(JSON.stringify({ __type: 'InternalFailure', message: 'injected by the test' }));
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(
  target: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  const base = new URL(target);
  return new Promise((resolve, reject) => {
    const up = httpRequest(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: { ...req.headers, host: base.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') headers[k] = v;
          resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}
