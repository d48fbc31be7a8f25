// Logs cost money (CloudWatch ingestion per GB), so the function says little:
// JSON lines through Powertools Logger at WARN by default, one INFO summary per
// invocation, and debug lines held in a per-invocation buffer that is printed
// only when the invocation logs an error. Keys are ids and counts, never record
// contents; messages pass through the secret resolver's redaction.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { EngineLogger } from '../../core/engine/ports.ts';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
type Level = (typeof LEVELS)[number];

export function createLambdaLogger(env: Readonly<Record<string, string | undefined>>): Logger {
  const level = parseLevel(env.POWERTOOLS_LOG_LEVEL) ?? 'WARN';
  const sampleRate = env.POWERTOOLS_LOGGER_SAMPLE_RATE !== undefined ? Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE) : undefined;
  return new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'collect',
    logLevel: level as LogLevel,
    ...(sampleRate !== undefined && Number.isFinite(sampleRate) ? { sampleRateValue: sampleRate } : {}),
    logBufferOptions: { enabled: true, flushOnErrorLog: true, bufferAtVerbosity: 'DEBUG', maxBytes: 20_480 },
  });
}

function parseLevel(value: string | undefined): Level | undefined {
  const upper = value?.trim().toUpperCase();
  return (LEVELS as readonly string[]).includes(upper ?? '') ? (upper as Level) : undefined;
}

/**
 * The logger of the one INFO summary line per invocation. It prints at INFO
 * while the deployment's level is WARN or more verbose; a level of ERROR or
 * above asks for silence, and gets it.
 */
export function summaryLogger(logger: Logger): Logger | undefined {
  const level = logger.getLevelName() as Level;
  if (level === 'ERROR' || level === 'CRITICAL' || level === 'SILENT') return undefined;
  return level === 'WARN' ? logger.createChild({ logLevel: 'INFO' }) : logger;
}

/** The engine's logger over Powertools, with the task's ids on every line. */
export function engineLogger(logger: Logger, keys: Record<string, string | number>, redact: (text: string) => string): EngineLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
    logger[level](redact(message), { ...keys, ...extra });
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
