// The dashboard: one Server-Sent Events stream (/v1/dashboard/events, read with fetch: sse.js) feeds every widget.
//   hello   — who serves this page, its drills, and recent history (state, events, traffic)
//   state   — one look at the cluster: leader, term, every replica (about once a second)
//   traffic — one second of requests through this frontend
//   event   — something happened: a leader elected, a pod left or rejoined, a snapshot, a drill
import { $, h } from './dom.js';
import { renderReplicas, renderFrontends } from './cards.js';
import { renderChart, WINDOW_MS } from './chart.js';
import { renderEvents } from './events.js';
import { initKeys } from './keys.js';
import { initDrills } from './drills.js';
import { initAuth, locked } from './auth.js';
import { stream } from './sse.js';

const model = {
  hello: null,
  state: null,
  events: [],
  traffic: [],
  offset: 0, // server clock minus ours
  downSince: new Map(),
  flash: new Set(),
  seenAt: 0, // events after this are highlighted as new
};

const now = () => Date.now() + model.offset;
const localMode = () => model.hello?.frontend?.mode === 'local';

function setLive(on, text) {
  const pill = $('live');
  pill.className = 'pill live ' + (on ? 'on' : 'off');
  pill.querySelector('.label').textContent = text;
}

function renderSummary() {
  const s = model.state;
  const el = $('summary');
  if (!s) {
    el.textContent = model.hello ? 'looking at the cluster…' : 'connecting…';
    return;
  }
  const answering = s.replicas.filter((r) => r.role !== 'UNREACHABLE').length;
  el.replaceChildren(
    s.leader ? h('span', {}, 'leader ', h('span', { class: 'lead', 'data-testid': 'leader', text: s.leader }))
      : h('span', { class: 'lead', style: 'color:var(--down)', 'data-testid': 'leader', text: 'no leader' }),
    h('span', {}, ' · term ', h('b', { text: String(s.term) })),
    h('span', {}, ' · ', h('b', { text: `${answering}/${s.replicas.length}` }), ' replicas answering'));
}

function renderAll() {
  const view = { now: now(), localMode: localMode(), downSince: model.downSince, flash: model.flash };
  renderSummary();
  renderReplicas($('replicas'), model.state, view);
  renderFrontends($('frontends'), model.hello?.frontend, model.traffic, view);
  model.flash.clear();
}

function renderTraffic() {
  renderChart($('chart'), model.traffic, model.events, now());
}

function onHello(hello) {
  model.hello = hello;
  model.offset = hello.serverTime - Date.now();
  model.state = hello.state;
  model.events = hello.events;
  model.traffic = hello.traffic;
  model.seenAt = now();
  const mode = hello.frontend.mode;
  $('mode').textContent = mode === 'local' ? 'local · bin/kv-local' : mode === 'kubernetes' ? 'Kubernetes' : 'standalone';
  const drills = hello.drills.length > 0;
  $('drills').hidden = !drills;
  $('middle').classList.toggle('solo', !drills);
  $('pause-hint').textContent = `SIGSTOP for ${Math.round(hello.pauseMillis / 1000)} s, then SIGCONT`;
  renderAll();
  renderEvents($('events'), model.events, model.seenAt);
  renderTraffic();
}

function onState(state) {
  const before = model.state;
  for (const r of state.replicas) {
    if (r.role === 'UNREACHABLE') {
      if (!model.downSince.has(r.id)) model.downSince.set(r.id, state.at);
    } else {
      model.downSince.delete(r.id);
    }
  }
  if (state.leader && before && before.leader !== state.leader) model.flash.add(state.leader);
  model.state = state;
  renderAll();
}

function onTraffic(point) {
  model.traffic.push(point);
  const horizon = now() - WINDOW_MS - 5000;
  while (model.traffic.length && model.traffic[0].at < horizon) model.traffic.shift();
  renderTraffic();
  renderFrontends($('frontends'), model.hello?.frontend, model.traffic,
    { now: now(), localMode: localMode() });
}

function onEvent(event) {
  model.events.push(event);
  if (model.events.length > 400) model.events.splice(0, model.events.length - 200);
  renderEvents($('events'), model.events, model.seenAt);
  renderTraffic();
}

function connect() {
  const json = (fn) => (data) => fn(JSON.parse(data));
  stream('/v1/dashboard/events',
    { hello: json(onHello), state: json(onState), traffic: json(onTraffic), event: json(onEvent) },
    // It reconnects by itself (after the 1 s the server asks for); a new frontend process says hello again.
    (open) => setLive(open, open ? 'live' : locked() ? 'signed out' : 'reconnecting…'));
}

initAuth();
initKeys();
initDrills();
connect();
// Uptimes and "no answer for" tick between messages.
setInterval(() => { if (model.hello && !locked()) renderAll(); }, 1000);
window.addEventListener('resize', renderTraffic);
