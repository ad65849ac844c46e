import type { Logger } from '../../log/logger.js';
import type { WhatsAppSocket } from './socket.js';

/** The prompt on the admin page for linking the office phone: a QR code or a pairing code. */
export type PairingPrompt = { qr: string } | { pairingCode: string };

export interface PairingOptions {
  /** Office number for a pairing code; without it the admin scans QR codes. */
  pairingNumber: string | undefined;
  /** Shows a QR code at the terminal. */
  printQr: (qr: string) => void;
  logger: Logger;
}

/**
 * Turns a socket's QR events into the prompt on the admin page: each QR code, or a pairing code that
 * is requested once per socket, on its first QR event, and only while the creds are unpaired.
 * Baileys rejects a pairing code request made before the socket showed a QR code.
 */
export class Pairing {
  private requested = false;
  private qrShown = false;

  constructor(private readonly options: PairingOptions) {}

  /** Whether the current socket showed a QR code, which means it was pairing. */
  get showedQr(): boolean {
    return this.qrShown;
  }

  /** Starts again for a new socket. */
  reset(): void {
    this.requested = false;
    this.qrShown = false;
  }

  /** Returns whether a QR event should lead to a pairing code rather than a QR code. */
  usesCode(registered: boolean): boolean {
    return this.options.pairingNumber !== undefined && !registered;
  }

  /** Shows a QR code at the terminal and returns the prompt for the admin page. */
  showQr(qr: string): PairingPrompt {
    this.qrShown = true;
    this.options.printQr(qr);
    this.options.logger.info('whatsapp pairing: scan the QR code printed above, or open /whatsapp on the web server, with the office phone (Linked devices)');
    return { qr };
  }

  /** Requests the pairing code on the first QR event of a socket; resolves undefined for later events or a failure. */
  async requestCode(socket: WhatsAppSocket): Promise<PairingPrompt | undefined> {
    this.qrShown = true;
    if (this.requested) return undefined;
    this.requested = true;
    const { logger } = this.options;
    try {
      const pairingCode = await socket.requestPairingCode(this.options.pairingNumber!);
      logger.info({ pairingCode }, 'whatsapp pairing: on the office phone open Linked devices, choose "Link with phone number instead" and enter this code');
      return { pairingCode };
    } catch (error) {
      logger.error({ err: error }, 'whatsapp pairing code could not be requested; start pairing again from /whatsapp');
      return undefined;
    }
  }
}
