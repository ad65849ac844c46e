import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../log/logger.js';
import type { AuthValueChange, WhatsAppSessionStore } from '../../store/whatsapp-sessions.js';

/** Key of the creds record among a session's auth values; signal keys are `<type>:<id>`. */
const credsKey = 'creds';

/**
 * Raised when the stored creds of a session cannot be read. The channel stops instead of
 * pairing again, because new creds would silently replace the office's linked device.
 */
export class UnreadableCredsError extends Error {
  constructor(session: string, reason: string, options?: { cause?: unknown }) {
    super(
      `The stored WhatsApp creds of session "${session}" cannot be read (${reason}). ` +
        'Restore them from a backup, or delete the session from the admin page at /whatsapp and pair the number again.',
      options,
    );
    this.name = 'UnreadableCredsError';
  }
}

/** The auth state of one office number, kept in the store. */
export interface StoredAuthState {
  /** The creds and signal keys to pass to the socket; Baileys changes `creds` in place. */
  readonly state: AuthenticationState;
  /** Whether the creds belong to a paired device. */
  readonly registered: boolean;
  /** Writes the whole creds object, as `creds.update` requires. */
  saveCreds(): Promise<void>;
  /** Deletes every stored value of the session and starts again with new, unpaired creds. */
  reset(): Promise<void>;
}

/**
 * Loads the auth state of `session`. Values are JSON with Baileys' BufferJSON replacer and
 * reviver, one record per creds object and per signal key, of every key type Baileys 7
 * writes (`lid-mapping`, `device-list` and `tctoken` included, since a store that drops them
 * loses the LID to phone number map). Missing creds mean a new pairing; creds that exist but
 * cannot be parsed throw UnreadableCredsError.
 */
export async function loadAuthState(store: WhatsAppSessionStore, session: string, logger: Logger): Promise<StoredAuthState> {
  const stored = (await store.readAuthValues(session, [credsKey])).get(credsKey);
  let creds = stored === undefined ? initAuthCreds() : parseCreds(session, stored);
  const keys = createKeyStore(store, session, logger);

  return {
    get state() {
      return { creds, keys };
    },
    get registered() {
      return creds.registered;
    },
    saveCreds: () => store.writeAuthValues(session, [{ key: credsKey, value: JSON.stringify(creds, BufferJSON.replacer) }]),
    async reset() {
      await store.clearAuthValues(session);
      creds = initAuthCreds();
    },
  };
}

/** Parses stored creds and checks the fields without which Baileys cannot connect. */
function parseCreds(session: string, text: string): AuthenticationCreds {
  let value: unknown;
  try {
    value = JSON.parse(text, BufferJSON.reviver);
  } catch (error) {
    throw new UnreadableCredsError(session, `invalid JSON: ${(error as Error).message}`, { cause: error });
  }
  const missing = missingCredsFields(value);
  if (missing.length > 0) throw new UnreadableCredsError(session, `missing or invalid fields: ${missing.join(', ')}`);
  return value as AuthenticationCreds;
}

function missingCredsFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['(the whole record)'];
  const creds = value as Record<string, unknown>;
  const isKeyPair = (pair: unknown) => Buffer.isBuffer((pair as { private?: unknown })?.private) && Buffer.isBuffer((pair as { public?: unknown })?.public);
  const checks: Record<string, boolean> = {
    noiseKey: isKeyPair(creds.noiseKey),
    pairingEphemeralKeyPair: isKeyPair(creds.pairingEphemeralKeyPair),
    signedIdentityKey: isKeyPair(creds.signedIdentityKey),
    signedPreKey: isKeyPair((creds.signedPreKey as { keyPair?: unknown } | undefined)?.keyPair),
    registrationId: typeof creds.registrationId === 'number',
    advSecretKey: typeof creds.advSecretKey === 'string',
    registered: typeof creds.registered === 'boolean',
  };
  return Object.entries(checks)
    .filter(([, valid]) => !valid)
    .map(([field]) => field);
}

/**
 * Creates the signal key store of a session. A value that cannot be parsed is logged and
 * treated as missing, so Baileys negotiates that key again instead of failing every message.
 */
function createKeyStore(store: WhatsAppSessionStore, session: string, logger: Logger): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const values = await store.readAuthValues(session, ids.map((id) => keyOf(type, id)));
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const text = values.get(keyOf(type, id));
        if (text === undefined) continue;
        try {
          let value = JSON.parse(text, BufferJSON.reviver) as unknown;
          // Baileys reads these keys as protobuf objects, as its own file store revives them.
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          result[id] = value as SignalDataTypeMap[T];
        } catch (error) {
          logger.error({ session, keyType: type, err: error }, 'whatsapp signal key cannot be read; treated as missing');
        }
      }
      return result;
    },

    async set(data: SignalDataSet) {
      const changes: AuthValueChange[] = [];
      for (const [type, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          changes.push({ key: keyOf(type, id), value: value === null || value === undefined ? null : JSON.stringify(value, BufferJSON.replacer) });
        }
      }
      await store.writeAuthValues(session, changes);
    },
  };
}

function keyOf(type: string, id: string): string {
  return `${type}:${id}`;
}
