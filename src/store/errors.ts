/**
 * Raised by a store adapter when the database cannot be reached or returned a transient
 * failure. Nothing was written, so the caller may retry the same work later.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Error names of the MongoDB driver (version 7) that mean the server is out of reach,
 * matched by name so that code outside the adapter does not import the driver.
 */
const unavailableErrorNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClearedError',
]);

/** SQLite result codes that are transient: the file is locked by another writer or the disk failed. */
const unavailableSqliteCodes = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL']);

/** Returns whether an error means the store was unreachable, so the work can be retried later. */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError || isTransientStoreError(error)) return true;
  if (!(error instanceof Error)) return false;
  if (unavailableErrorNames.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && [...unavailableSqliteCodes].some((prefix) => code.startsWith(prefix))) return true;
  return error.cause !== undefined && error.cause !== error && isStoreUnavailable(error.cause);
}

/**
 * Returns whether a database error is a momentary contention that an immediate retry of the
 * same work usually clears: MongoDB's WriteConflict (code 112), and "database is locked"
 * (SQLITE_BUSY) from FerretDB's SQLite backend or a second process on the SQLite file.
 */
export function isTransientStoreError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === 112 || code === 'SQLITE_BUSY') return true;
  return /database is locked|SQLITE_BUSY/.test(error.message);
}
