// The traffic chart: writes/s and reads/s (left axis), p99 latency (right axis) over the last two
// minutes, with a marker wherever the leader changed or a pod restarted. Plain SVG, redrawn per point.

const NS = 'http://www.w3.org/2000/svg';
export const WINDOW_MS = 120_000;

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The smallest 4 × step ≥ x with a round step (1, 2, 2.5 or 5 × 10^k): four round ticks. */
function niceMax(x) {
  const raw = (x > 0 ? x : 1) / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return 4 * m * p;
  return 40 * p;
}

const MARKED = { leader: 'var(--leader)', restarted: 'var(--restart)', rejoined: 'var(--restart)', drill: 'var(--drill)' };

function markerLabel(e) {
  if (e.kind === 'leader') return '★ ' + e.pod;
  if (e.kind === 'drill') return '⚡ drill';
  return '↻ ' + e.pod;
}

/**
 * @param el      the chart's container
 * @param points  traffic points {at, writesPerSecond, readsPerSecond, p99Millis}
 * @param events  events {at, kind, pod}
 * @param now     the server's current time (ms)
 */
export function renderChart(el, points, events, now) {
  const width = Math.max(320, el.clientWidth);
  const height = Math.max(180, el.clientHeight);
  const m = { left: 46, right: 58, top: 22, bottom: 24 };
  const w = width - m.left - m.right;
  const hgt = height - m.top - m.bottom;
  const t0 = now - WINDOW_MS;
  const visible = points.filter((p) => p.at >= t0 - 2000);
  const x = (t) => m.left + ((t - t0) / WINDOW_MS) * w;

  const rateMax = niceMax(Math.max(4, ...visible.map((p) => Math.max(p.writesPerSecond, p.readsPerSecond))));
  const latMax = niceMax(Math.max(10, ...visible.map((p) => p.p99Millis ?? 0)));
  const yRate = (v) => m.top + hgt - (v / rateMax) * hgt;
  const yLat = (v) => m.top + hgt - (v / latMax) * hgt;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'requests per second and p99 latency' });
  const defs = s('defs');
  defs.append(s('clipPath', { id: 'plot' }));
  defs.firstChild.append(s('rect', { x: m.left, y: m.top - 2, width: w, height: hgt + 4 }));
  svg.append(defs);

  for (let i = 0; i <= 4; i++) {
    const y = m.top + (hgt * i) / 4;
    svg.append(s('line', { class: 'grid-line', x1: m.left, x2: m.left + w, y1: y, y2: y }));
    svg.append(s('text', { class: 'axis', x: m.left - 8, y: y + 4, 'text-anchor': 'end' }, fmtRate(rateMax * (1 - i / 4))));
    svg.append(s('text', { class: 'axis', x: m.left + w + 8, y: y + 4, 'text-anchor': 'start' }, fmtMs(latMax * (1 - i / 4))));
  }
  for (let sec = 120; sec >= 0; sec -= 30) {
    const xx = x(now - sec * 1000);
    svg.append(s('text', { class: 'axis', x: xx, y: height - 6, 'text-anchor': sec === 120 ? 'start' : sec === 0 ? 'end' : 'middle' },
      sec === 0 ? 'now' : `−${sec}s`));
  }
  svg.append(s('text', { class: 'axis', x: m.left - 8, y: 12, 'text-anchor': 'end' }, 'req/s'));
  svg.append(s('text', { class: 'axis', x: m.left + w + 8, y: 12, 'text-anchor': 'start' }, 'p99'));

  const plot = s('g', { 'clip-path': 'url(#plot)' });
  svg.append(plot);

  // Markers first, under the lines.
  // Labels: leader changes and restarts along the top (a second row when two would overlap), drills at the
  // bottom; a label that would overlap others in every row of its band is left out (its line stays).
  const rows = { top: [m.top - 7, m.top + 9], drill: [m.top + hgt - 6] };
  const placed = { top: [[], []], drill: [[]] };
  for (const e of events) {
    if (!(e.kind in MARKED) || e.at < t0) continue;
    const xx = x(e.at);
    plot.append(s('line', { x1: xx, x2: xx, y1: m.top, y2: m.top + hgt, stroke: MARKED[e.kind], 'stroke-width': 1.5, 'stroke-dasharray': e.kind === 'leader' ? '' : '3 3', opacity: 0.9 }));
    const band = e.kind === 'drill' ? 'drill' : 'top';
    const label = markerLabel(e);
    const width = 6.6 * label.length + 6;
    const right = xx + 4 + width > m.left + w;
    const span = right ? [xx - 4 - width, xx - 4] : [xx + 4, xx + 4 + width];
    const row = placed[band].findIndex((spans) => spans.every(([a, b]) => span[1] < a || span[0] > b));
    if (row < 0) continue;
    placed[band][row].push(span);
    svg.append(s('text', {
      class: 'marker-label', x: right ? xx - 4 : xx + 4, y: rows[band][row],
      fill: MARKED[e.kind], 'text-anchor': right ? 'end' : 'start',
    }, label));
  }

  if (visible.length === 0) {
    svg.append(s('text', { class: 'empty', x: m.left + w / 2, y: m.top + hgt / 2, 'text-anchor': 'middle' }, 'waiting for traffic…'));
  }
  const line = (values, y, attrs) => {
    let d = '';
    let pen = false;
    let prev = null;
    for (const p of visible) {
      const v = values(p);
      const gap = prev !== null && p.at - prev > 3500; // nobody watched: no data, no line
      prev = p.at;
      if (v === null || v === undefined || gap) pen = false;
      if (v === null || v === undefined) continue;
      d += `${pen ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    if (d) plot.append(s('path', { d, fill: 'none', 'stroke-linejoin': 'round', 'stroke-linecap': 'round', ...attrs }));
  };
  // A soft area under writes, for weight.
  let run = [];
  const area = () => {
    if (run.length > 1) {
      let d = `M${x(run[0].at).toFixed(1)},${yRate(0)}`;
      for (const p of run) d += `L${x(p.at).toFixed(1)},${yRate(p.writesPerSecond).toFixed(1)}`;
      d += `L${x(run[run.length - 1].at).toFixed(1)},${yRate(0)}Z`;
      plot.append(s('path', { d, fill: 'rgba(96,165,250,0.10)' }));
    }
    run = [];
  };
  for (const p of visible) {
    if (run.length && p.at - run[run.length - 1].at > 3500) area();
    run.push(p);
  }
  area();
  line((p) => p.readsPerSecond, yRate, { stroke: 'var(--reads)', 'stroke-width': 2 });
  line((p) => p.writesPerSecond, yRate, { stroke: 'var(--writes)', 'stroke-width': 2.2 });
  line((p) => p.p99Millis, yLat, { stroke: 'var(--p99)', 'stroke-width': 1.8, 'stroke-dasharray': '5 4' });

  el.replaceChildren(svg);
}

function fmtRate(v) {
  return v >= 1000 ? (v / 1000).toFixed(v % 1000 ? 1 : 0) + 'k' : String(+v.toFixed(1));
}

function fmtMs(v) {
  if (v >= 1000) return (v / 1000).toFixed(v % 1000 ? 1 : 0) + ' s';
  return (+v.toFixed(1)) + ' ms';
}
