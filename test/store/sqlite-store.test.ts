import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreContract } from './store-contract.js';
import { describeWhatsAppSessionContract } from './whatsapp-session-contract.js';

// One database file for this test file; every store the suite opens shares it, as two
// processes on one DATA_DIR would.
const dataDir = mkdtempSync(path.join(tmpdir(), 'sapa-store-contract-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describeStoreContract(
  'SqliteStore',
  async () => SqliteStore.open(dataDir),
  (store) => store.close(),
);

describeWhatsAppSessionContract(
  'SqliteStore',
  async () => SqliteStore.open(dataDir),
  (store) => store.close(),
);
