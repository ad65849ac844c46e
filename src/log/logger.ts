import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths removed from every log line: message bodies, tokens, PINs and passwords never reach
 * the logs even when a caller passes a whole object.
 */
const removedPaths = ['text', '*.text', 'token', '*.token', 'password', '*.password', 'pin', '*.pin'];

/**
 * Paths of citizen addresses (phone numbers, chat ids, user keys), masked so that a log line
 * still tells two citizens apart without revealing who they are.
 */
const maskedPaths = ['userKey', '*.userKey', 'userId', '*.userId', 'phone', '*.phone'];

/**
 * Masks an address, keeping its channel prefix and last three characters:
 * `whatsapp:6281234567890` becomes `whatsapp:…890`.
 */
export function maskAddress(value: unknown): string {
  const text = String(value);
  const separator = text.indexOf(':');
  const prefix = separator >= 0 ? text.slice(0, separator + 1) : '';
  const rest = separator >= 0 ? text.slice(separator + 1) : text;
  return `${prefix}…${rest.slice(-3)}`;
}

/** Creates the root logger: JSON lines, or pino-pretty output for a person at a terminal. */
export function createLogger(options: { level: string; format: 'json' | 'pretty'; destination?: 'stdout' | 'stderr' }): Logger {
  const fd = options.destination === 'stderr' ? 2 : 1;
  return pino(
    {
      level: options.level,
      base: { service: 'sapa-layanan' },
      redact: { paths: removedPaths, censor: '[redacted]' },
      formatters: {
        log: (object) => maskAddresses(object),
      },
      transport:
        options.format === 'pretty' ? { target: 'pino-pretty', options: { translateTime: 'SYS:standard', destination: fd } } : undefined,
    },
    options.format === 'pretty' ? undefined : pino.destination(fd),
  );
}

/** Returns the log object with every address field masked, one level deep. */
function maskAddresses(object: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...object };
  for (const path of maskedPaths) {
    const [first, second] = path.split('.');
    if (first === '*' && second) {
      for (const [key, value] of Object.entries(masked)) {
        if (value && typeof value === 'object' && second in value) {
          masked[key] = { ...(value as Record<string, unknown>), [second]: maskAddress((value as Record<string, unknown>)[second]) };
        }
      }
    } else if (first && first in masked) {
      masked[first] = maskAddress(masked[first]);
    }
  }
  return masked;
}

/** Creates a logger that writes nothing, for tests and tools. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
