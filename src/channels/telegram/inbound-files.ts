import type { Texts } from '../../catalog/texts-schema.js';
import { fillText } from '../../catalog/texts-schema.js';
import type { Reply } from '../../conversation/reply.js';
import { formatSize } from '../../conversation/render-complaint.js';
import type { Logger } from '../../log/logger.js';
import type { InboundMedia } from '../../pipeline/inbound-message.js';
import { errorLogFields } from './api-retry.js';
import { FileTooLargeError, type FileDownloader } from './file-download.js';
import type { CitizenInput } from './read-update.js';

/** The files of a message that arrived, and a notice for the citizen when some did not. */
export interface ReceivedFiles {
  media: InboundMedia[];
  notice?: Reply;
}

export interface ReceiveFilesOptions {
  download: FileDownloader;
  texts: Texts;
  /** Largest evidence file the office accepts (complaints.yaml `evidenceMaxBytes`), named in the notice. */
  evidenceMaxBytes: number;
  logger: Logger;
}

/**
 * Downloads the files of a message. A file that cannot be received (larger than the download
 * limit, or its download failed) is left out, and so is media the bot does not accept
 * (video, voice, audio, sticker, animation). Either way the notice names the accepted files
 * for the citizen, and the rest of the message goes on without the file.
 */
export async function receiveFiles(input: CitizenInput, options: ReceiveFilesOptions): Promise<ReceivedFiles> {
  const { logger, texts } = options;
  const userKey = `telegram:${input.chatId}`;
  const maxSize = formatSize(options.evidenceMaxBytes);
  if (input.unsupportedMedia) {
    logger.info({ userKey, media: input.unsupportedMedia }, 'telegram media type not accepted; the citizen gets a notice');
    return { media: [], notice: { text: fillText(texts.mediaNotSupported, { maxSize }) } };
  }

  const media: InboundMedia[] = [];
  let missing = 0;
  for (const file of input.files) {
    try {
      const bytes = await options.download(file);
      media.push({ bytes, ...(file.mimeType ? { declaredMimeType: file.mimeType } : {}), ...(file.fileName ? { fileName: file.fileName } : {}) });
    } catch (error) {
      missing++;
      const reason = error instanceof FileTooLargeError ? 'larger than the download limit' : 'download failed';
      logger.warn({ userKey, fileSize: file.fileSize, reason, ...errorLogFields(error) }, 'telegram file not received; message passed on without it');
    }
  }
  return missing > 0 ? { media, notice: { text: fillText(texts.fileNotReceived, { maxSize }) } } : { media };
}
