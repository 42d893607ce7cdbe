// The event log: newest first.
import { h, clock } from './dom.js';

const MAX = 200;

export function renderEvents(list, events, freshSince) {
  list.replaceChildren();
  if (events.length === 0) {
    list.append(h('li', {}, h('span', { class: 'empty', text: 'nothing yet' })));
    return;
  }
  const shown = events.slice(-MAX).reverse();
  for (const e of shown) {
    list.append(h('li', { class: `${e.kind} ${e.at > freshSince ? 'new' : ''}`, 'data-testid': 'event', 'data-kind': e.kind },
      h('time', { text: clock(e.at) }),
      h('span', { class: 'k' }),
      h('span', { class: 'msg', text: e.message })));
  }
}
