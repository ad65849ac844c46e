import type { Logger } from '../log/logger.js';
import type { Complaint } from './complaint.js';

/**
 * Runs the filed-complaint hook. A failure only delays the officers' ping: the reminder scan
 * sends the arrival ping of every complaint still waiting for verification.
 */
export async function notifyFiled(
  deps: { logger: Logger; onComplaintFiled?: (complaint: Complaint) => Promise<unknown> },
  complaint: Complaint,
): Promise<void> {
  try {
    await deps.onComplaintFiled?.(complaint);
  } catch (error) {
    deps.logger.error({ ticket: complaint.ticket, err: error }, 'arrival ping failed; the reminder scan sends it');
  }
}
