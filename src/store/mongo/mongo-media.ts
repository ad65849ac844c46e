import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { StoredMedia } from '../store.js';
import { mediaBucketName } from './connection.js';

/** The description kept next to the bytes, in the GridFS file's `metadata`. */
interface MediaMetadata {
  mimeType: string;
  /** The size the caller gave, returned as given. */
  size: number;
  fileName?: string;
  createdAt: Date;
}

/**
 * Evidence files of the MongoDB store, in the GridFS bucket `media`: the bytes in
 * `media.chunks`, the description in `media.files`. The media id is the GridFS file's
 * ObjectId in hex.
 */
export class MongoMedia {
  private readonly bucket: GridFSBucket;

  constructor(private readonly db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: mediaBucketName });
  }

  /** Stores the file and returns its new id. */
  async save(media: Omit<StoredMedia, 'id'>): Promise<string> {
    const id = new ObjectId();
    const metadata: MediaMetadata = {
      mimeType: media.mimeType,
      size: media.size,
      ...(media.fileName === undefined ? {} : { fileName: media.fileName }),
      createdAt: media.createdAt,
    };
    const upload = this.bucket.openUploadStreamWithId(id, media.fileName ?? id.toHexString(), { metadata });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(media.bytes);
    });
    return id.toHexString();
  }

  /**
   * Deletes the files with these ids; unknown ids are ignored. The description goes first,
   * as GridFS itself does: a crash in between leaves unreachable chunks, never a file
   * without its bytes.
   */
  async delete(ids: string[]): Promise<void> {
    const objectIds = ids.filter((id) => isMediaId(id)).map((id) => new ObjectId(id));
    if (objectIds.length === 0) return;
    const db = this.db;
    await db.collection(`${mediaBucketName}.files`).deleteMany({ _id: { $in: objectIds } });
    await db.collection(`${mediaBucketName}.chunks`).deleteMany({ files_id: { $in: objectIds } });
  }

  /** Returns the file with that id, or undefined when there is none. */
  async find(id: string): Promise<StoredMedia | undefined> {
    // Ids this store did not make, such as the SQLite store's UUIDs, are simply not found.
    if (!isMediaId(id)) return undefined;
    const objectId = new ObjectId(id);
    const [file] = await this.bucket.find({ _id: objectId }).limit(1).toArray();
    if (!file) return undefined;
    const metadata = file.metadata as MediaMetadata | undefined;
    if (!metadata) throw new Error(`Media ${id} in GridFS bucket "${mediaBucketName}" has no metadata; it was not written by this store`);
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(objectId)) chunks.push(chunk as Buffer);
    return {
      id,
      mimeType: metadata.mimeType,
      size: metadata.size,
      ...(metadata.fileName === undefined || metadata.fileName === null ? {} : { fileName: metadata.fileName }),
      bytes: Buffer.concat(chunks),
      createdAt: metadata.createdAt,
    };
  }
}

/** Returns whether `id` has the form of the ids this store makes: an ObjectId in lower-case hex. */
function isMediaId(id: string): boolean {
  return /^[0-9a-f]{24}$/.test(id);
}
