// The key browser: prefix search with paging (the API's `next`), a value as text or hex, put and delete.
// Everything goes through the public API, /v1/kv, like any client.
import { h, $, num, bytes } from './dom.js';
import { api } from './auth.js';

const PAGE = 10;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const state = {
  prefix: '',
  pages: [null], // the `after` of each page seen; the last is the current page
  next: null,
  items: [],
  selected: null, // { key, revision, bytes }
  mode: 'text',
};

const keyUrl = (key) => '/v1/kv/' + encodeURIComponent(key);

function decodeBase64(b64) {
  const bin = atob(b64 ?? '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function asText(bytesArr) {
  try { return utf8.decode(bytesArr); } catch { return null; }
}

function hexDump(b) {
  const lines = [];
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    const hex = Array.from(row, (x) => x.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (x) => (x >= 32 && x < 127 ? String.fromCharCode(x) : '.')).join('');
    lines.push(off.toString(16).padStart(8, '0') + '  ' + hex.padEnd(48) + ' ' + ascii);
  }
  return lines.join('\n') || '(empty value)';
}

function preview(b) {
  const text = asText(b);
  if (text !== null) return text.length > 80 ? text.slice(0, 80) + '…' : text.replace(/[\u0000-\u001f]/g, '·');
  return Array.from(b.subarray(0, 12), (x) => x.toString(16).padStart(2, '0')).join(' ') + (b.length > 12 ? ' …' : '') + '  (binary)';
}

function status(text, kind = '') {
  const el = $('key-status');
  el.textContent = text;
  el.className = 'status-line ' + kind;
}

async function problem(response) {
  try {
    const p = await response.json();
    return `${response.status} ${p.title ?? ''}: ${p.detail ?? ''}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

async function load() {
  const after = state.pages[state.pages.length - 1];
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (state.prefix) params.set('prefix', state.prefix);
  if (after !== null) params.set('after', after);
  const response = await api('/v1/kv?' + params);
  if (!response.ok) {
    status(await problem(response), 'error');
    return;
  }
  const page = await response.json();
  state.items = page.items.map((it) => ({ key: it.key, revision: it.revision, bytes: decodeBase64(it.value) }));
  state.next = page.next;
  if (state.selected) {
    const again = state.items.find((it) => it.key === state.selected.key);
    if (again) state.selected = again; // else it is on another page: keep showing it
  }
  render();
}

function render() {
  const body = $('key-rows');
  body.replaceChildren();
  if (state.items.length === 0) {
    body.append(h('tr', { class: 'empty' }, h('td', { colspan: 4, text: state.prefix ? `no key starts with “${state.prefix}”` : 'no keys yet — put one below' })));
  }
  for (const it of state.items) {
    body.append(h('tr', {
      class: state.selected?.key === it.key ? 'selected' : '', 'data-testid': 'key-row', 'data-key': it.key,
      onclick: () => { state.selected = it; render(); },
    },
    h('td', { title: it.key, text: it.key }),
    h('td', { class: 'num', text: num(it.revision) }),
    h('td', { class: 'num', text: bytes(it.bytes.length) }),
    h('td', { class: 'preview', text: preview(it.bytes) })));
  }
  const pageNo = state.pages.length;
  $('page-info').textContent = `page ${pageNo}` + (state.next ? ' · more follow' : ' · last page');
  $('next-page').disabled = !state.next;
  $('first-page').disabled = pageNo === 1;
  renderViewer();
}

function renderViewer() {
  const viewer = $('viewer');
  const sel = state.selected;
  viewer.hidden = !sel;
  if (!sel) return;
  const text = asText(sel.bytes);
  const mode = text === null ? 'hex' : state.mode;
  $('viewer-key').textContent = sel.key;
  $('viewer-meta').textContent = `revision ${num(sel.revision)} · ${bytes(sel.bytes.length)}${text === null ? ' · not UTF-8' : ''}`;
  $('viewer-value').textContent = mode === 'hex' ? hexDump(sel.bytes) : (text === '' ? '(empty value)' : text);
  $('as-text').classList.toggle('on', mode === 'text');
  $('as-hex').classList.toggle('on', mode === 'hex');
  $('as-text').disabled = text === null;
}

async function put(key, value) {
  const response = await api(keyUrl(key), { method: 'PUT', body: value, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!response.ok) {
    status(`PUT ${key} → ` + await problem(response), 'error');
    return;
  }
  const body = await response.json();
  status(`PUT ${key} → ${response.status} ${response.status === 201 ? 'Created' : 'OK'} · revision ${num(body.revision)}`
    + (body.previousRevision ? ` (was ${num(body.previousRevision)})` : ''), 'ok');
  state.selected = { key, revision: body.revision, bytes: new TextEncoder().encode(value) };
  await load();
}

async function remove(key) {
  const response = await api(keyUrl(key), { method: 'DELETE' });
  if (!response.ok) {
    status(`DELETE ${key} → ` + await problem(response), 'error');
    return;
  }
  status(`DELETE ${key} → ${response.status} No Content`, 'ok');
  state.selected = null;
  await load();
}

function guard(fn) {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (e) {
      status('the request failed: ' + (e?.message ?? e), 'error');
    }
  };
}

export function initKeys() {
  $('search-form').addEventListener('submit', guard(async (e) => {
    e.preventDefault();
    state.prefix = $('prefix').value;
    state.pages = [null];
    await load();
  }));
  $('next-page').addEventListener('click', guard(async () => {
    if (!state.next) return;
    state.pages.push(state.next);
    await load();
  }));
  $('first-page').addEventListener('click', guard(async () => {
    state.pages = [null];
    await load();
  }));
  $('as-text').addEventListener('click', () => { state.mode = 'text'; renderViewer(); });
  $('as-hex').addEventListener('click', () => { state.mode = 'hex'; renderViewer(); });
  $('delete-key').addEventListener('click', guard(async () => {
    if (state.selected) await remove(state.selected.key);
  }));
  $('put-form').addEventListener('submit', guard(async (e) => {
    e.preventDefault();
    const key = $('put-key').value;
    if (!key) return;
    await put(key, $('put-value').value);
  }));
  guard(load)();
}
