/** Codes of the complaint domain's errors, stable for callers that translate them. */
export type ComplaintErrorCode =
  | 'not-found'
  | 'transition-not-allowed'
  | 'unknown-class'
  | 'missing-note'
  | 'concurrent-change';

/** A rule of the complaint domain was broken; `code` and `ticket` say which and where. */
export class ComplaintError extends Error {
  constructor(
    readonly code: ComplaintErrorCode,
    message: string,
    readonly ticket?: string,
  ) {
    super(message);
    this.name = 'ComplaintError';
  }
}
