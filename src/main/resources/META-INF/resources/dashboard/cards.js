// The replica and frontend cards: one per pod, in ordinal order.
import { h, num, bytes, duration, rate, millis } from './dom.js';

const ROLE_TEXT = {
  LEADER: 'leader', FOLLOWER: 'follower', CANDIDATE: 'candidate', LISTENER: 'listener', UNREACHABLE: 'unreachable',
};

function ordinalOf(id) {
  const m = /-(\d+)$/.exec(id);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/**
 * @param container the cards' element
 * @param state     the latest state message (or null)
 * @param view      { now, localMode, downSince: Map, flash: Set }
 */
export function renderReplicas(container, state, view) {
  container.replaceChildren();
  if (!state) {
    container.append(h('div', { class: 'card' }, h('div', { class: 'where', text: 'waiting for the first look at the cluster…' })));
    return;
  }
  const replicas = [...state.replicas].sort((a, b) => ordinalOf(a.id) - ordinalOf(b.id) || a.id.localeCompare(b.id));
  for (const r of replicas) {
    const rep = r.report;
    const reachable = r.role !== 'UNREACHABLE';
    const restarts = rep ? Math.max(0, rep.starts - 1) : null;
    const rows = [
      ['term', rep ? num(rep.term) : reachable ? num(state.term) : '—'],
      ['commit index', reachable ? num(r.commitIndex) : '—'],
      ['applied index', reachable ? num(r.appliedIndex) : '—'],
      ['lag behind leader', r.lag === null || r.lag === undefined ? '—' : lagText(r.lag)],
      ['data size', rep ? bytes(rep.dataSizeBytes) : '—'],
      ['uptime', rep ? duration(view.now - rep.startedAt) : '—'],
      ['restarts', rep ? h('span', {}, num(restarts),
        h('span', { class: 'sub', title: 'starts of a replica on this volume', text: `start #${rep.starts}` })) : '—'],
    ];
    if (view.localMode && rep) rows.push(['pid', String(rep.pid)]);
    const since = view.downSince.get(r.id);
    const card = h('article', {
      class: `card replica ${r.role === 'LEADER' ? 'leader' : ''} ${reachable ? '' : 'unreachable'} ${view.flash.has(r.id) ? 'flash' : ''}`,
      'data-testid': 'replica-card', 'data-pod': r.id, 'data-role': r.role,
    },
    h('div', { class: 'card-head' },
      h('span', { class: 'name', text: r.id }),
      h('span', { class: 'spacer' }),
      h('span', { class: `role ${r.role}`, 'data-testid': 'role', text: (r.role === 'LEADER' ? '★ ' : '') + (ROLE_TEXT[r.role] ?? r.role) })),
    h('div', { class: 'where', text: `ordinal ${ordinalOf(r.id)} · ${r.address}`, title: 'Raft address' }),
    h('dl', { class: 'kv' }, rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
    lagBar(reachable ? r.lag : null),
    !reachable ? h('div', { class: 'note', text: since ? `no answer for ${duration(view.now - since)}` : 'no answer' }) : null);
    container.append(card);
  }
}

/** Full when caught up; a log scale down to empty at 10,000 entries behind. */
function lagBar(lag) {
  const known = lag !== null && lag !== undefined;
  const width = known ? Math.max(3, 100 - 25 * Math.log10(1 + lag)) : 0;
  const color = !known ? 'transparent' : lag < 10 ? 'var(--follower)' : lag < 1000 ? 'var(--p99)' : 'var(--down)';
  return h('div', { class: 'lagbar', title: known ? `${lag} committed entries not applied yet` : 'unknown' },
    h('i', { style: `width:${width.toFixed(1)}%;background:${color}` }));
}

function lagText(lag) {
  return lag === 0 ? '0' : h('span', { class: lag > 100 ? 'lag-bad' : '' }, num(lag), h('span', { class: 'sub', text: lag === 1 ? 'entry' : 'entries' }));
}

export function renderFrontends(container, frontend, traffic, view) {
  container.replaceChildren();
  if (!frontend) return;
  const last = traffic.length ? traffic[traffic.length - 1] : null;
  const rows = [
    ['uptime', duration(view.now - frontend.startedAt)],
    ['writes per s', last ? rate(last.writesPerSecond) : '—'],
    ['reads per s', last ? rate(last.readsPerSecond) : '—'],
    ['p99 latency', last ? millis(last.p99Millis) : '—'],
    ['pages watching', last ? String(last.watchers) : '—'],
  ];
  if (view.localMode) rows.push(['pid', String(frontend.pid)]);
  container.append(h('article', { class: 'card frontend', 'data-testid': 'frontend-card', 'data-pod': frontend.name },
    h('div', { class: 'card-head' },
      h('span', { class: 'name', text: frontend.name }),
      h('span', { class: 'spacer' }),
      h('span', { class: 'role FRONTEND', text: frontend.role === 'frontend' ? 'frontend' : frontend.role })),
    h('div', { class: 'where', text: `${location.host} · serves this page` }),
    h('dl', { class: 'kv' }, rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
    h('div', { class: 'foot', text: 'No volume, no identity: a restart is a new pod, with nothing to catch up on.' })));
}
