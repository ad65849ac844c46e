import { StartupError, startApp } from './app.js';
import { CatalogError } from './catalog/load.js';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './log/logger.js';

/** Command-line entry: starts the bot and stops it cleanly on SIGINT or SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  let app;
  try {
    app = await startApp(config, logger);
  } catch (error) {
    if (error instanceof CatalogError || error instanceof StartupError || isListenError(error)) {
      logger.fatal(error.message);
    } else {
      logger.fatal({ err: error }, 'start-up failed');
    }
    // Give the log transport a moment to flush before exiting.
    setTimeout(() => process.exit(1), 200);
    return;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Returns whether the error is a failure to listen, whose message already names the setting. */
function isListenError(error: unknown): error is Error {
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return error instanceof Error && ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'].includes(code ?? '');
}

void main();
