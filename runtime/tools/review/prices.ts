// The price list of `collect cost`: deploy/prices.json, a data file with its
// date and sources, so a price change is a reviewed one-line edit.
import { readFile } from 'node:fs/promises';
// Imported, not read from disk: the bundled CLI carries it, wherever its chunks are.
import defaultPrices from '../../../deploy/prices.json' with { type: 'json' };

interface Ec2Instance {
  perHour: number;
  vcpus: number;
  memoryGib: number;
}

export interface Prices {
  asOf: string;
  region: string;
  currency: string;
  lambda: { gbSecond: { arm64: number; x86_64: number }; perMillionRequests: number; source: string };
  sqs: { perMillionRequests: number; source: string; idlePolling: { pollers: number; waitSeconds: number; source: string } };
  s3: { perThousandPuts: number; storagePerGbMonth: number; source: string };
  cloudwatchLogs: { ingestionPerGb: number; source: string };
  scheduler: { perMillionInvocations: number; source: string };
  cloudwatchAlarms: { perAlarmMetric: number; source: string };
  glueCatalog: { freeObjects: number; perHundredThousandObjects: number; source: string };
  ec2: { defaultInstance: string; instances: Record<string, Ec2Instance>; source: string };
}

/** Where the built-in price list comes from, for messages. */
const DEFAULT_PRICES_FILE = 'deploy/prices.json';

class PricesError extends Error {
  override readonly name = 'PricesError';
}

/** The built-in price list, or another one from `file` (`collect cost --prices`). */
export async function loadPrices(file?: string): Promise<Prices> {
  if (file === undefined) return checked(defaultPrices, DEFAULT_PRICES_FILE);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new PricesError(`cannot read the price list ${file}: ${(err as Error).message}`);
  }
  return checked(value, file);
}

function checked(value: unknown, file: string): Prices {
  const p = value as Partial<Prices>;
  const missing = (
    ['asOf', 'lambda', 'sqs', 's3', 'cloudwatchLogs', 'scheduler', 'cloudwatchAlarms', 'glueCatalog', 'ec2'] as const
  ).filter((k) => p[k] === undefined);
  if (p.sqs && p.sqs.idlePolling === undefined) missing.push('sqs.idlePolling' as never);
  if (missing.length) throw new PricesError(`${file} lacks ${missing.join(', ')} (see ${DEFAULT_PRICES_FILE} for their shape)`);
  return value as Prices;
}
