import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every environment variable the bot reads, with its default. Parsed once at start-up by
 * `loadConfig`; nothing else in the program reads `process.env`.
 */
const environmentSchema = z.object({
  /** `production` turns off the simulator API and web chat unless SIMULATOR_ENABLED=true. Default `development`. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Address the web server binds to. Default 127.0.0.1 (loopback only). */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** TCP port of the web server (web chat, simulator API, health checks). Default 3000; 0 picks a free port. */
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  /**
   * MongoDB connection string, such as mongodb://db:27017/sapa-layanan; the database name
   * comes from its path. When set, the bot stores everything in MongoDB instead of SQLite.
   */
  MONGODB_URI: z
    .string()
    .trim()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a MongoDB connection string such as mongodb://127.0.0.1:27017/sapa-layanan')
    .optional(),
  /** Folder for the embedded SQLite database and stored media. Default ./data. */
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** Folder that holds the office folders and the national holiday files. Default ./flows. */
  FLOWS_DIR: z.string().trim().min(1).default('./flows'),
  /** Office folder name inside FLOWS_DIR. Default diskopukm-kalbar. */
  OFFICE: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a folder name in kebab-case such as diskopukm-kalbar')
    .default('diskopukm-kalbar'),
  /** pino log level: fatal, error, warn, info, debug, trace or silent. Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` or `pretty`; default pretty when stdout is a terminal, json otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Minutes of silence after which a conversation starts again at the main menu. Default 30. */
  SESSION_IDLE_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(1).max(10_080).default(30),
  /** Serve the simulator API and web chat. Default true, except false when NODE_ENV=production. */
  SIMULATOR_ENABLED: booleanFlag.optional(),
  /**
   * When the scheduler looks for due reminders, escalations, automatic closes and digests, as
   * a cron expression in the office's time zone. Default every minute (`* * * * *`).
   */
  SCHEDULER_CRON: z
    .string()
    .trim()
    .refine((expression) => cron.validate(expression), 'must be a cron expression such as "* * * * *" (every minute)')
    .default('* * * * *'),
  /** Telegram bot token from @BotFather; the Telegram channel runs only when it is set. */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must be a bot token such as 123456789:AAE... from @BotFather')
    .optional(),
  /** Bot API address; default https://api.telegram.org. Set for a self-hosted Bot API server or tests. */
  TELEGRAM_API_ROOT: z.url({ message: 'must be an http(s) URL such as http://127.0.0.1:8081' }).optional(),
  /** Public HTTPS URL Telegram posts updates to; when unset the channel uses long polling. */
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'must be an https URL such as https://bot.example.go.id/telegram' }).optional(),
  /** Secret Telegram sends with every webhook request; required with TELEGRAM_WEBHOOK_URL (1–256 of A-Z a-z 0-9 _ -). */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  /** Run the WhatsApp channel (Baileys, a linked device of the office number). Default true. */
  WHATSAPP_ENABLED: booleanFlag.default(true),
  /**
   * The office's WhatsApp number in international form without `+`, such as 6281234567890.
   * When set, pairing uses an 8-character code entered on the phone instead of a QR code.
   */
  WHATSAPP_PAIRING_NUMBER: z
    .string()
    .trim()
    .regex(/^[1-9]\d{7,14}$/, 'must be the office number in international form without + or spaces, such as 6281234567890')
    .optional(),
  /**
   * Token for the pairing page /whatsapp from other hosts than this one (Bearer header or
   * ?token=); without it the page answers loopback requests only. At least 16 of A-Z a-z 0-9 _ -.
   */
  WHATSAPP_ADMIN_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
})
  // Without the secret anyone who learns the webhook URL could post updates as any citizen.
  .refine((values) => !values.TELEGRAM_WEBHOOK_URL || values.TELEGRAM_WEBHOOK_SECRET, {
    message: 'must be set when TELEGRAM_WEBHOOK_URL is set',
    path: ['TELEGRAM_WEBHOOK_SECRET'],
  });

/** Names of every environment variable the bot reads, in the schema's order. */
export const environmentVariableNames: readonly string[] = Object.keys(environmentSchema.shape);

/** The bot's settings, resolved from the environment with defaults filled in. */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  /** Set when the bot uses MongoDB; undefined means the embedded SQLite store in dataDir. */
  mongodbUri?: string;
  flowsDir: string;
  office: string;
  officeDir: string;
  logLevel: z.output<typeof environmentSchema>['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  sessionIdleMinutes: number;
  simulatorEnabled: boolean;
  schedulerCron: string;
  /** Telegram channel settings; undefined when TELEGRAM_BOT_TOKEN is unset. */
  telegram?: { token: string; apiRoot?: string; webhookUrl?: string; webhookSecret?: string };
  /**
   * WhatsApp channel settings; undefined when WHATSAPP_ENABLED=false. `session` names the
   * office number's stored session: the office folder name.
   */
  whatsapp?: { session: string; pairingNumber?: string; adminToken?: string };
}

/** Raised when one or more environment variables are invalid; the message lists each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment into a Config, reporting every invalid variable together.
 * Paths are resolved against `cwd`.
 */
export function loadConfig(
  environment: Record<string, string | undefined> = process.env,
  options: { cwd?: string; isTerminal?: boolean } = {},
): Config {
  const cwd = options.cwd ?? process.cwd();
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const result = environmentSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }

  const values = result.data;
  const flowsDir = path.resolve(cwd, values.FLOWS_DIR);
  return {
    env: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    dataDir: path.resolve(cwd, values.DATA_DIR),
    ...(values.MONGODB_URI ? { mongodbUri: values.MONGODB_URI } : {}),
    flowsDir,
    office: values.OFFICE,
    officeDir: path.join(flowsDir, values.OFFICE),
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? (options.isTerminal ?? process.stdout.isTTY ? 'pretty' : 'json'),
    sessionIdleMinutes: values.SESSION_IDLE_MINUTES,
    simulatorEnabled: values.SIMULATOR_ENABLED ?? values.NODE_ENV !== 'production',
    schedulerCron: values.SCHEDULER_CRON,
    ...(values.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            token: values.TELEGRAM_BOT_TOKEN,
            ...(values.TELEGRAM_API_ROOT ? { apiRoot: values.TELEGRAM_API_ROOT } : {}),
            ...(values.TELEGRAM_WEBHOOK_URL ? { webhookUrl: values.TELEGRAM_WEBHOOK_URL } : {}),
            ...(values.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: values.TELEGRAM_WEBHOOK_SECRET } : {}),
          },
        }
      : {}),
    ...(values.WHATSAPP_ENABLED
      ? {
          whatsapp: {
            session: values.OFFICE,
            ...(values.WHATSAPP_PAIRING_NUMBER ? { pairingNumber: values.WHATSAPP_PAIRING_NUMBER } : {}),
            ...(values.WHATSAPP_ADMIN_TOKEN ? { adminToken: values.WHATSAPP_ADMIN_TOKEN } : {}),
          },
        }
      : {}),
  };
}
