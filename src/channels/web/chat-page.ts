/**
 * The local web chat: one self-contained HTML page that talks to the simulator API, so a
 * person can try the bot as a citizen without a WhatsApp number. Options are buttons.
 */

/** Escapes text for use inside HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Returns the chat page for an office. */
export function renderChatPage(office: { name: string; shortName: string }): string {
  const title = escapeHtml(office.shortName);
  const name = escapeHtml(office.name);
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Obrolan layanan ${title}</title>
<style>
  :root { --green: #0b6e4f; --bg: #efeae2; --bot: #ffffff; --me: #d9fdd3; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.45 system-ui, sans-serif; background: var(--bg); color: #111; }
  header { background: var(--green); color: #fff; padding: 12px 16px; }
  header h1 { font-size: 1.05rem; margin: 0; }
  header p { font-size: .85rem; margin: 2px 0 0; opacity: .9; }
  main { max-width: 720px; margin: 0 auto; padding: 12px 12px 96px; }
  .message { width: fit-content; max-width: 85%; margin: 6px 0; padding: 8px 12px; border-radius: 10px; white-space: pre-wrap; word-wrap: break-word; box-shadow: 0 1px 1px rgba(0,0,0,.1); }
  .bot { background: var(--bot); }
  .me { background: var(--me); margin-left: auto; }
  .options { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 10px; max-width: 85%; }
  .options button { border: 1px solid var(--green); background: #fff; color: var(--green); border-radius: 16px; padding: 6px 12px; font: inherit; font-size: .9rem; cursor: pointer; text-align: left; }
  .message .item { display: block; padding-left: 1.6em; text-indent: -1.6em; }
  /* Hover is a light tint, not a solid fill, so the option under the pointer does not look
     chosen. Keyboard focus gets an outline of its own. */
  @media (hover: hover) { .options button:hover { background: #e3f1ea; } }
  .options button:focus-visible, form button:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
  form { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 8px; padding: 10px; background: #f0f0f0; border-top: 1px solid #ddd; }
  form .inner { display: flex; gap: 8px; width: 100%; max-width: 720px; margin: 0 auto; }
  input[type=text] { flex: 1; padding: 10px 12px; border-radius: 20px; border: 1px solid #ccc; font: inherit; }
  form button { border: 0; background: var(--green); color: #fff; border-radius: 20px; padding: 10px 18px; font: inherit; cursor: pointer; }
  .error { color: #a00; font-size: .9rem; }
  .footer { font-size: .85rem; color: #555; margin: -4px 0 10px; max-width: 85%; white-space: pre-wrap; }
  .notice { border-left: 4px solid var(--green); }
  .notice .label { display: block; font-size: .8rem; color: var(--green); font-weight: 600; }
  #attach { background: #fff; color: var(--green); border: 1px solid var(--green); padding: 10px 12px; }
</style>
</head>
<body>
<header>
  <h1>${name}</h1>
  <p>Obrolan uji coba. Pesan di halaman ini diperlakukan seperti pesan WhatsApp dari warga.</p>
</header>
<main id="log" aria-live="polite"></main>
<form id="composer" autocomplete="off">
  <div class="inner">
    <label for="text" hidden>Pesan</label>
    <input id="file" type="file" accept="image/jpeg,image/png,image/webp,application/pdf" multiple hidden>
    <button id="attach" type="button" title="Lampirkan foto atau PDF" aria-label="Lampirkan foto atau PDF">📎</button>
    <input id="text" name="text" type="text" placeholder="Ketik pesan, misalnya: halo" maxlength="10000">
    <button type="submit">Kirim</button>
  </div>
</form>
<script>
(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const fileInput = document.getElementById('file');
  const attach = document.getElementById('attach');
  const storageKey = 'sapa-layanan-user';
  // crypto.randomUUID exists only in secure contexts (https or localhost); an office that opens
  // the chat over plain http from another PC still has getRandomValues.
  function randomId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  // ?user=petugas-demo opens the chat as that simulator user, such as the demo officer.
  const requested = new URLSearchParams(location.search).get('user');
  const validUser = (value) => typeof value === 'string' && /^[\\p{L}\\p{N}._:@+-]{1,128}$/u.test(value);
  let user = validUser(requested) ? requested : localStorage.getItem(storageKey);
  if (!validUser(user)) {
    user = 'web-' + randomId().slice(0, 8);
  }
  localStorage.setItem(storageKey, user);

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function formatInline(text) {
    return escapeHtml(text).replace(/\\*([^*\\n]+)\\*/g, '<strong>$1</strong>');
  }

  // A numbered line ("1. ...") and the indented lines under it become one block with a
  // hanging indent, so wrapped items stay readable. The newlines stay in the text.
  const numberedItem = /^\\d+\\. .*(?:\\n[ \\t]+\\S.*)*\\n?/gm;

  function formatText(text) {
    let html = '';
    let done = 0;
    for (const match of text.matchAll(numberedItem)) {
      html += formatInline(text.slice(done, match.index));
      html += '<span class="item">' + formatInline(match[0]) + '</span>';
      done = match.index + match[0].length;
    }
    return html + formatInline(text.slice(done));
  }

  function show(text, who) {
    const bubble = document.createElement('div');
    bubble.className = 'message ' + who;
    bubble.innerHTML = formatText(text);
    log.appendChild(bubble);
    return bubble;
  }

  // Scrolls so that everything from \`start\` to the end of the log sits above the composer.
  // When that is taller than the window, scrolls \`start\` to the top, so a long reply is read
  // from its beginning.
  function reveal(start) {
    const room = form.getBoundingClientRect().top - 12;
    const top = start.getBoundingClientRect().top - 8;
    const bottom = log.lastElementChild.getBoundingClientRect().bottom;
    window.scrollBy(0, Math.min(Math.max(0, bottom - room), top));
  }

  function showFooter(text) {
    const footer = document.createElement('div');
    footer.className = 'footer';
    footer.innerHTML = formatInline(text);
    log.appendChild(footer);
  }

  function showReplies(replies) {
    for (const reply of replies) {
      show(reply.text, 'bot');
      if (reply.options) showOptions(reply.options);
      if (reply.footer) showFooter(reply.footer);
    }
  }

  function showOptions(options) {
    const row = document.createElement('div');
    row.className = 'options';
    for (const option of options) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = option.key + '. ' + option.label;
      button.dataset.key = option.key;
      button.addEventListener('click', () => send(option.key));
      row.appendChild(button);
    }
    log.appendChild(row);
  }

  async function post(message, shown) {
    const sent = show(shown, 'me');
    reveal(sent);
    try {
      const response = await fetch('/api/simulator/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, id: randomId(), ...message }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      showReplies(body.replies);
    } catch (error) {
      console.error('simulator request failed', error);
      show('Mohon maaf, pesan Bapak/Ibu gagal terkirim. Silakan coba lagi beberapa saat lagi.', 'bot error');
    }
    reveal(sent);
  }

  function send(text) {
    return post({ text }, text);
  }

  function readAsBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function sendFiles(files) {
    const media = [];
    for (const file of files) media.push({ fileName: file.name, mimeType: file.type, data: await readAsBase64(file) });
    const names = files.map((file) => file.name).join(', ');
    await post({ text: '', media }, '📎 ' + names);
  }

  // Messages the office sends later (status changes, answers) wait on the server until read.
  async function fetchNotices() {
    try {
      const response = await fetch('/api/simulator/messages?user=' + encodeURIComponent(user));
      if (!response.ok) return;
      const body = await response.json();
      for (const message of body.messages) {
        const bubble = show(message.text, 'bot notice');
        bubble.insertAdjacentHTML('afterbegin', '<span class="label">Pemberitahuan</span>');
        reveal(bubble);
      }
    } catch {
      // The next poll tries again; the messages stay queued on the server.
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (text.trim() === '') return;
    input.value = '';
    send(text);
  });
  attach.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const files = Array.from(fileInput.files || []);
    fileInput.value = '';
    if (files.length > 0) sendFiles(files);
  });

  show('Selamat datang di obrolan uji coba. Ketik *halo* untuk memulai, atau langsung bertanya, misalnya "syarat izin kantor kas".', 'bot');
  fetchNotices();
  setInterval(fetchNotices, 5000);
  input.focus();
})();
</script>
</body>
</html>
`;
}
