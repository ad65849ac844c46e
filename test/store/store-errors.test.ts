import { describe, expect, it } from 'vitest';
import { StoreUnavailableError, isStoreUnavailable, isTransientStoreError } from '../../src/store/errors.js';

/** Builds an error with a name and code as the database drivers throw them. */
function driverError(name: string, message: string, code?: unknown): Error {
  const error = new Error(message);
  error.name = name;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

describe('isStoreUnavailable', () => {
  it.each([
    ['MongoNetworkError', 'connect ECONNREFUSED 127.0.0.1:27017'],
    ['MongoServerSelectionError', 'Server selection timed out after 5000 ms'],
    ['MongoNotConnectedError', 'Client must be connected'],
  ])('%s is unavailable', (name, message) => {
    expect(isStoreUnavailable(driverError(name, message))).toBe(true);
  });

  it('own error is unavailable', () => {
    expect(isStoreUnavailable(new StoreUnavailableError('not connected'))).toBe(true);
  });

  it('cause chain is followed', () => {
    expect(isStoreUnavailable(new Error('wrapped', { cause: driverError('MongoNetworkError', 'reset') }))).toBe(true);
  });

  it('programming error is not unavailable', () => {
    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
  });

  it('duplicate key is not unavailable', () => {
    expect(isStoreUnavailable(driverError('MongoServerError', 'E11000 duplicate key', 11000))).toBe(false);
  });
});

describe('isTransientStoreError', () => {
  it('FerretDB lock is transient', () => {
    expect(isTransientStoreError(driverError('MongoServerError', 'UpdateAll: database is locked (5) (SQLITE_BUSY)'))).toBe(true);
  });

  it('MongoDB write conflict is transient', () => {
    expect(isTransientStoreError(driverError('MongoServerError', 'WriteConflict', 112))).toBe(true);
  });

  it('SQLite busy code is transient', () => {
    expect(isTransientStoreError(driverError('SqliteError', 'database is busy', 'SQLITE_BUSY'))).toBe(true);
  });

  it('constraint failure is not transient', () => {
    expect(isTransientStoreError(driverError('SqliteError', 'UNIQUE constraint failed', 'SQLITE_CONSTRAINT_PRIMARYKEY'))).toBe(false);
  });
});
