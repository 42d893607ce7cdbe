// With security on, every call carries a bearer token: the one typed into the sign-in form, kept in
// sessionStorage (this tab only, gone when it closes). The page learns that security is on from the first
// 401 (no token, or one refused: unknown, expired, revoked); it then hides the cluster and asks for a token.
// With security off nothing answers 401, and the form never shows.
import { $ } from './dom.js';

const KEY = 'ordinal.token';

const token = () => sessionStorage.getItem(KEY);

/** `init` (fetch's second argument) with the Authorization header when the page holds a token. */
export function authorized(init = {}) {
  const t = token();
  return t ? { ...init, headers: { ...(init.headers ?? {}), Authorization: `Bearer ${t}` } } : init;
}

/** fetch() with the token; a 401 locks the page and asks for a (new) token. */
export async function api(url, init) {
  const response = await fetch(url, authorized(init));
  if (response.status === 401) await refused(response);
  return response;
}

/**
 * A 401 answer (or a 403 to the dashboard's own stream: a valid token that may not watch the cluster):
 * the token held, if any, is forgotten, and the page shows nothing but the form.
 */
export async function refused(response) {
  let detail = '';
  try {
    detail = (await response.clone().json()).detail ?? '';
  } catch {
    // not a problem+json body: the status says enough
  }
  const had = token() !== null;
  sessionStorage.removeItem(KEY);
  const why = response.status === 403 ? 'That token may not watch the cluster' : 'That token was refused';
  lock(had || response.status === 403 ? `${why}${detail ? ': ' + detail : ''}.` : '');
}

/** Whether the page waits for a token (and so shows nothing of the cluster). */
export const locked = () => document.body.classList.contains('locked');

function lock(message) {
  document.body.classList.add('locked');
  for (const id of ['replicas', 'frontends', 'events', 'key-rows', 'chart']) $(id).replaceChildren();
  $('summary').textContent = 'sign in to see the cluster';
  $('signin').hidden = false;
  $('sign-out').hidden = true;
  if (message) $('signin-error').textContent = message; // a second 401 (the keys, the stream) keeps the first's word
  $('token').focus();
}

export function initAuth() {
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token').value.trim();
    if (!t) return;
    sessionStorage.setItem(KEY, t);
    location.reload(); // start afresh with the token: the stream, the keys, everything
  });
  const out = $('sign-out');
  out.hidden = token() === null;
  out.addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    location.reload();
  });
}
