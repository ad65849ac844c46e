import QRCode from 'qrcode';

/** Prints a pairing QR code to stderr, which stays apart from the JSON log lines on stdout. */
export function printQrToTerminal(qr: string): void {
  QRCode.toString(qr, { type: 'terminal', small: true }).then(
    (art) => process.stderr.write(`\n${art}\n`),
    (error: unknown) => process.stderr.write(`WhatsApp QR code could not be drawn: ${(error as Error).message}\n`),
  );
}

/** Returns a pairing QR code as an SVG image for the admin page. */
export function renderQrSvg(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: 'svg', margin: 2, width: 280 });
}
