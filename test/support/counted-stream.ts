/** A request body stream that records how much of it the server has read. */
export interface CountedStream {
  body: ReadableStream<Uint8Array>;
  /** Number of chunks the reader has pulled so far. */
  pulledChunks(): number;
}

/**
 * Creates a stream of `totalChunks` chunks of `chunkBytes` bytes each, produced only when the
 * reader pulls them, so a test can check that a body limit stops reading early.
 */
export function countedStream(chunkBytes: number, totalChunks: number): CountedStream {
  const chunk = new Uint8Array(chunkBytes).fill(0x61);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === totalChunks) {
        controller.close();
        return;
      }
      pulled++;
      controller.enqueue(chunk);
    },
  });
  return { body, pulledChunks: () => pulled };
}
