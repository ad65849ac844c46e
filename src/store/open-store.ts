import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { MongoStore } from './mongo/mongo-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * Opens the store the config names: MongoDB when MONGODB_URI is set, otherwise the
 * embedded SQLite file in DATA_DIR. This is the one place that picks an adapter.
 */
export async function openStore(config: Pick<Config, 'dataDir' | 'mongodbUri'>, logger: Logger): Promise<Store> {
  if (config.mongodbUri) {
    const store = await MongoStore.connect(config.mongodbUri, { logger });
    // The database name only: the connection string may carry credentials.
    logger.info({ store: 'mongo', database: store.databaseName }, 'store opened');
    return store;
  }
  const store = SqliteStore.open(config.dataDir);
  logger.info({ store: 'sqlite', dataDir: config.dataDir }, 'store opened');
  return store;
}
