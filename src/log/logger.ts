import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths masked in every log line: message bodies, phone numbers, tokens and keys never
 * reach the logs even when a caller passes a whole object.
 */
const redactedPaths = ['text', '*.text', 'phone', '*.phone', 'token', '*.token', 'password', '*.password', 'pin', '*.pin'];

/** Creates the root logger: JSON lines, or pino-pretty output for a person at a terminal. */
export function createLogger(options: { level: string; format: 'json' | 'pretty' }): Logger {
  return pino({
    level: options.level,
    base: { service: 'sapa-layanan' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    transport: options.format === 'pretty' ? { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } : undefined,
  });
}

/** A logger that writes nothing, for tests and tools. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
