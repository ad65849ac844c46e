import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../log/logger.js';
import { escapeHtml } from '../web/chat-page.js';
import { isSameOrigin, requestHost } from '../web/request-origin.js';
import type { WhatsAppChannel, WhatsAppChannelStatus } from './channel-options.js';
import { renderQrSvg } from './qr-code.js';

export interface AdminPageOptions {
  channel: WhatsAppChannel;
  /** The office's name, and the zone in which the page shows times. */
  office: { shortName: string; timeZone: string; timeZoneLabel: string };
  /** WHATSAPP_ADMIN_TOKEN; without it only loopback requests are served. */
  adminToken?: string;
  logger: Logger;
}

/** Maximum size of an action form body, in bytes; the form has a single 32-character field. */
const maxFormBodyBytes = 16 * 1024;

/** Status texts for the office admin, per state, in Indonesian. */
const stateTexts: Record<WhatsAppChannelStatus['state'], string> = {
  stopped: 'Kanal WhatsApp tidak berjalan.',
  starting: 'Kanal WhatsApp sedang dimulai.',
  standby: 'Sesi WhatsApp sedang dipakai oleh instans bot lain. Instans ini menunggu dan mengambil alih bila instans lain berhenti.',
  pairing: 'Nomor kantor belum tertaut. Tautkan dengan HP kantor.',
  connecting: 'Sedang menghubungkan ke WhatsApp.',
  open: 'Terhubung ke WhatsApp.',
  reconnecting: 'Koneksi ke WhatsApp terputus. Bot mencoba menghubungkan lagi secara otomatis.',
  'needs-pairing': 'Nomor kantor perlu ditautkan ulang.',
  failed: 'Kanal WhatsApp berhenti karena masalah yang perlu ditangani petugas.',
};

/** Explanations of the reasons a channel stops, in Indonesian. */
const reasonTexts: Record<string, string> = {
  'logged-out': 'Perangkat ini dikeluarkan dari daftar Perangkat tertaut di HP kantor. Tautkan ulang dengan tombol di bawah.',
  'pairing-expired': 'Kode QR kedaluwarsa sebelum dipindai. Mulai penautan lagi dengan tombol di bawah.',
  forbidden: 'WhatsApp menolak akun ini (kemungkinan dibatasi atau diblokir). Periksa HP kantor, lalu sambungkan ulang.',
  'multidevice-mismatch': 'WhatsApp melaporkan ketidakcocokan perangkat tertaut. Hapus sesi lalu tautkan ulang.',
  'connection-replaced': 'Sesi ini dibuka oleh klien lain, misalnya instans bot kedua dengan data yang sama. Hentikan yang lain, lalu sambungkan ulang.',
  'unreadable-creds': 'Data sesi yang tersimpan rusak. Pulihkan dari cadangan, atau hapus sesi lalu tautkan ulang.',
};

/**
 * Adds the pairing page for the office admin: `GET /whatsapp` (status, QR code or pairing
 * code), `GET /whatsapp/status` (JSON), and the actions `POST /whatsapp/restart` and
 * `POST /whatsapp/reset`. Without an admin token only loopback requests are served, and
 * only under a loopback host name, so a rebound DNS name cannot reach the page. The forms
 * carry a token made at start-up, so another website open in the admin's browser cannot
 * submit them.
 */
export function addWhatsAppAdminRoutes(app: Hono, options: AdminPageOptions): void {
  const formToken = randomBytes(16).toString('hex');

  app.use('/whatsapp', (c, next) => guard(c, next, options));
  app.use('/whatsapp/*', (c, next) => guard(c, next, options));

  app.get('/whatsapp', async (c) => c.html(await renderAdminPage(options, formToken, c.req.query('token'))));
  app.get('/whatsapp/status', (c) => c.json(options.channel.status()));
  const formBodyLimit = bodyLimit({
    maxSize: maxFormBodyBytes,
    onError: (c) => c.json({ error: `Request body is larger than ${maxFormBodyBytes} bytes; submit the form on /whatsapp` }, 413),
  });
  app.post('/whatsapp/:action{restart|reset}', formBodyLimit, async (c) => {
    const form = await c.req.parseBody();
    if (!sameSecret(String(form.form ?? ''), formToken)) return c.json({ error: 'Invalid form token; reload /whatsapp and try again' }, 403);
    const action = c.req.param('action');
    options.logger.info({ action }, 'whatsapp admin action requested');
    if (action === 'reset') await options.channel.resetSession();
    else options.channel.restart();
    const token = c.req.query('token');
    return c.redirect(token ? `/whatsapp?token=${encodeURIComponent(token)}` : '/whatsapp', 303);
  });
}

async function guard(c: Context, next: () => Promise<void>, options: AdminPageOptions): Promise<Response | void> {
  if (options.adminToken) {
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const presented = bearer ?? c.req.query('token') ?? '';
    if (sameSecret(presented, options.adminToken)) return next();
    return c.json({ error: 'Missing or wrong admin token: send WHATSAPP_ADMIN_TOKEN as a Bearer header or as ?token=' }, 401);
  }
  if (!isLoopback(remoteAddressOf(c))) {
    return c.json({ error: 'The WhatsApp page answers only requests from this host. Set WHATSAPP_ADMIN_TOKEN to open it from elsewhere.' }, 403);
  }
  // A reverse proxy on this host makes every request look local; the headers it adds give it away.
  const forwarded = ['forwarded', 'x-forwarded-for', 'x-real-ip'].find((name) => c.req.header(name) !== undefined);
  if (forwarded) {
    options.logger.warn({ header: forwarded }, 'whatsapp admin request rejected: it came through a proxy and no admin token is set');
    return c.json({ error: `The request came through a proxy (${forwarded} header); set WHATSAPP_ADMIN_TOKEN to open the WhatsApp page through a proxy` }, 403);
  }

  // A page on another site can rebind its DNS name to 127.0.0.1. Its requests then come from
  // loopback but carry that name in the Host header.
  const host = requestHost(c);
  if (!isLoopbackHost(host)) {
    options.logger.warn({ host }, 'whatsapp admin request rejected: the Host header is not a loopback name');
    return c.json({ error: `Host ${host} is not a loopback name; open the WhatsApp page as http://127.0.0.1, http://localhost or http://[::1], or set WHATSAPP_ADMIN_TOKEN` }, 403);
  }
  const origin = c.req.header('origin');
  if (c.req.method === 'POST' && origin !== undefined && !isSameOrigin(origin, host)) {
    options.logger.warn({ host, origin }, 'whatsapp admin form rejected: the Origin header is not this server');
    return c.json({ error: `Cross-origin form rejected: Origin ${origin} does not match host ${host}; submit the form on /whatsapp` }, 403);
  }
  return next();
}

/** Returns whether a Host header value is 127.0.0.1, localhost or [::1], with or without a port. */
export function isLoopbackHost(host: string): boolean {
  return /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host);
}

/** Returns the client address of a request served by @hono/node-server, or undefined without one. */
function remoteAddressOf(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** Returns whether an address is this host: 127.0.0.0/8, ::1, or either mapped into IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/i, '');
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function renderAdminPage(options: AdminPageOptions, formToken: string, token: string | undefined): Promise<string> {
  const status = options.channel.status();
  const suffix = token ? `?token=${encodeURIComponent(token)}` : '';
  const parts = [`<p class="state">${escapeHtml(stateTexts[status.state])}</p>`];

  if (status.qr) {
    parts.push(
      '<p>Di HP kantor buka WhatsApp › <b>Perangkat tertaut</b> › <b>Tautkan perangkat</b>, lalu pindai kode ini. Kode berganti setiap beberapa puluh detik; halaman ini memuat ulang sendiri.</p>',
      `<div class="qr">${await renderQrSvg(status.qr)}</div>`,
    );
  }
  if (status.pairingCode) {
    parts.push(
      '<p>Di HP kantor buka WhatsApp › <b>Perangkat tertaut</b> › <b>Tautkan perangkat</b> › <b>Tautkan dengan nomor telepon saja</b>, lalu masukkan kode ini:</p>',
      `<p class="code">${escapeHtml(status.pairingCode.replace(/^(.{4})(.{4})$/, '$1-$2'))}</p>`,
    );
  }
  if (status.account) parts.push(`<p>Nomor tertaut: <b>${escapeHtml(status.account.split(/[:@]/)[0]!)}</b></p>`);
  if (status.retryInMs !== undefined) parts.push(`<p>Percobaan berikutnya dalam ${Math.ceil(status.retryInMs / 1000)} detik.</p>`);
  if (status.reasonKind && reasonTexts[status.reasonKind]) parts.push(`<p class="reason">${escapeHtml(reasonTexts[status.reasonKind]!)}</p>`);
  if (status.lastError) {
    const code = status.lastError.statusCode === undefined ? '' : ` (kode ${status.lastError.statusCode})`;
    parts.push(`<p class="detail">Gangguan terakhir${escapeHtml(code)}: ${escapeHtml(status.lastError.message)}, ${escapeHtml(formatLocalTime(status.lastError.at, options.office))}</p>`);
  }

  const actions: string[] = [];
  if (['needs-pairing', 'failed', 'reconnecting'].includes(status.state)) {
    const label = status.state === 'needs-pairing' ? 'Mulai penautan' : 'Sambungkan ulang';
    actions.push(form(`/whatsapp/restart${suffix}`, formToken, label));
  }
  if (status.state !== 'stopped') {
    actions.push(
      form(`/whatsapp/reset${suffix}`, formToken, 'Hapus sesi dan tautkan ulang', 'Sesi WhatsApp akan dihapus dan nomor kantor harus ditautkan ulang. Lanjutkan?'),
    );
  }

  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>WhatsApp ${escapeHtml(options.office.shortName)}</title>
<style>
  body { margin: 2rem auto; max-width: 40rem; padding: 0 1rem; font: 16px/1.5 system-ui, sans-serif; color: #111; }
  .state { font-size: 1.2rem; font-weight: 600; }
  .code { font: 600 2rem/1.2 ui-monospace, monospace; letter-spacing: 0.1em; }
  .qr svg { width: 280px; height: 280px; }
  .detail { color: #555; font-size: 0.9rem; }
  form { display: inline-block; margin: 0.5rem 0.5rem 0 0; }
  button { font: inherit; padding: 0.4rem 0.9rem; }
</style>
</head>
<body>
<h1>WhatsApp ${escapeHtml(options.office.shortName)}</h1>
${parts.join('\n')}
${actions.join('\n')}
</body>
</html>`;
}

function form(action: string, formToken: string, label: string, confirmText?: string): string {
  const onsubmit = confirmText ? ` onsubmit="return confirm(${escapeHtml(JSON.stringify(confirmText))})"` : '';
  return `<form method="post" action="${escapeHtml(action)}"${onsubmit}><input type="hidden" name="form" value="${formToken}"><button>${escapeHtml(label)}</button></form>`;
}

/** Formats an instant as the office reads it, such as "4 Desember 2026 23.24 WIB". */
function formatLocalTime(instant: Date, office: { timeZone: string; timeZoneLabel: string }): string {
  const text = new Intl.DateTimeFormat('id-ID', { timeZone: office.timeZone, dateStyle: 'long', timeStyle: 'short' }).format(instant);
  return `${text} ${office.timeZoneLabel}`;
}
