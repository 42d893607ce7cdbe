// Small DOM and formatting helpers. Text always goes in as text (keys and values are user data).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

const numberFormat = new Intl.NumberFormat('en-US');
export const num = (n) => (n === null || n === undefined ? '—' : numberFormat.format(n));

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
}

export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + String(s % 60).padStart(2, '0') + 's';
  const hours = Math.floor(m / 60);
  if (hours < 48) return hours + 'h ' + String(m % 60).padStart(2, '0') + 'm';
  return Math.floor(hours / 24) + 'd ' + (hours % 24) + 'h';
}

export function clock(ms) {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
}

export function rate(x) {
  if (x === null || x === undefined) return '—';
  return x >= 100 ? Math.round(x).toString() : x.toFixed(1);
}

export function millis(x) {
  if (x === null || x === undefined) return '—';
  if (x >= 1000) return (x / 1000).toFixed(2) + ' s';
  return (x >= 10 ? Math.round(x) : x.toFixed(1)) + ' ms';
}
