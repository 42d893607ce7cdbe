// Local mode only: the drills (through bin/kv-local, on the frontend) and a demo load from this browser.
import { $ } from './dom.js';
import { api } from './auth.js';

export function initDrills(onResult) {
  for (const button of document.querySelectorAll('button[data-drill]')) {
    button.addEventListener('click', async () => {
      const all = document.querySelectorAll('button[data-drill]');
      all.forEach((b) => { b.disabled = true; });
      const out = $('drill-result');
      out.className = 'drill-result';
      out.textContent = `${button.dataset.drill}: running…`;
      try {
        const response = await api(`/v1/dashboard/drills/${button.dataset.drill}`, {
          method: 'POST', headers: { 'X-Ordinal-Drill': '1' },
        });
        const body = await response.json();
        if (response.ok) {
          out.textContent = body.output || `${body.drill}: ${body.pod}`;
        } else {
          out.className = 'drill-result error';
          out.textContent = `${response.status} ${body.title}: ${body.detail}`;
        }
        onResult?.(body);
      } catch (e) {
        out.className = 'drill-result error';
        out.textContent = 'the drill request failed: ' + (e?.message ?? e);
      } finally {
        all.forEach((b) => { b.disabled = false; });
      }
    });
  }
  initDemoLoad();
}

/** About 20 writes and 20 reads a second over 200 demo/* keys, at most 4 requests in flight. */
function initDemoLoad() {
  const box = $('demo-load');
  let timer = null;
  let inFlight = 0;
  let n = 0;
  const written = []; // keys acknowledged, so that reads find them
  const fire = (request) => {
    if (inFlight >= 4) return; // a stalled cluster slows the load instead of piling it up
    inFlight++;
    request().catch(() => {}).finally(() => { inFlight--; });
  };
  box.addEventListener('change', () => {
    if (box.checked && !timer) {
      timer = setInterval(() => {
        const key = `demo%2Fload-${n++ % 200}`;
        fire(() => api(`/v1/kv/${key}`, { method: 'PUT', body: `demo value ${n}, ${new Date().toISOString()}` })
          .then((r) => { if (r.ok && written.length < 200 && !written.includes(key)) written.push(key); }));
        if (written.length) {
          const read = written[Math.floor(Math.random() * written.length)];
          fire(() => api(`/v1/kv/${read}`).then((r) => r.arrayBuffer()));
        }
      }, 50);
    } else if (!box.checked && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
}
