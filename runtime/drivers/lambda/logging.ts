// Logs cost money (CloudWatch ingestion per GB), so the function says little:
// JSON lines through Powertools Logger, at INFO by default one summary line per
// invocation and one per finished run, and debug lines held in a per-invocation
// buffer that is printed only when the invocation logs an error. Keys are ids
// and counts, never record contents; messages pass through the secret
// resolver's redaction.
//
// Powertools alone decides the level: the generated Terraform keeps Lambda's
// log format at Text, so Lambda's own level filter (Advanced Logging Controls,
// which overrides Powertools and would drop the flushed debug buffer) is off,
// and POWERTOOLS_LOG_LEVEL and the sample rate act as configured.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { EngineLogger } from '../../core/engine/ports.ts';
import { DEPLOYMENT_DEFAULTS } from '../../language/deployment-defaults.ts';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
type Level = (typeof LEVELS)[number];

export function createLambdaLogger(env: Readonly<Record<string, string | undefined>>): Logger {
  const level = parseLevel(env.POWERTOOLS_LOG_LEVEL) ?? DEPLOYMENT_DEFAULTS.logLevel;
  const sampleRate = env.POWERTOOLS_LOGGER_SAMPLE_RATE !== undefined ? Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE) : undefined;
  return new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'collect',
    logLevel: level as LogLevel,
    ...(sampleRate !== undefined && Number.isFinite(sampleRate) ? { sampleRateValue: sampleRate } : {}),
    // Powertools buffers every line at or below DEBUG whenever a trace id is set (always, on Lambda),
    // whatever the level: at DEBUG or TRACE the buffer would hide the very lines asked for.
    logBufferOptions: {
      enabled: level !== 'DEBUG' && level !== 'TRACE',
      flushOnErrorLog: true,
      bufferAtVerbosity: 'DEBUG',
      maxBytes: 20_480,
    },
  });
}

function parseLevel(value: string | undefined): Level | undefined {
  const upper = value?.trim().toUpperCase();
  return (LEVELS as readonly string[]).includes(upper ?? '') ? (upper as Level) : undefined;
}

/** The engine's logger over Powertools, with the task's ids on every line. */
export function engineLogger(logger: Logger, keys: Record<string, string | number>, redact: (text: string) => string): EngineLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
    logger[level](redact(message), { ...keys, ...extra });
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
