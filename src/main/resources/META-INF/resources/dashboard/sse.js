// A Server-Sent Events reader on fetch(): EventSource cannot send an Authorization header. It parses the
// text/event-stream format (event, data, id, retry; comments ignored), and after the stream ends or fails it
// connects again after the server's retry delay (1 s), with Last-Event-ID once the server has sent an id.
import { authorized, refused } from './auth.js';

/**
 * @param url       the stream
 * @param handlers  { [event name]: (data string) => void }
 * @param status    (open: boolean) => void — live, or waiting to reconnect
 */
export function stream(url, handlers, status) {
  let lastId = null;
  let retry = 1000;

  const dispatch = (event) => {
    if (event.id !== undefined) lastId = event.id;
    if (event.data === undefined) return;
    handlers[event.name || 'message']?.(event.data);
  };

  async function read(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = {};
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop(); // an unfinished line waits for the rest
      for (const line of lines) {
        if (line === '') {
          dispatch(event);
          event = {};
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event.name = value;
        else if (field === 'data') event.data = event.data === undefined ? value : event.data + '\n' + value;
        else if (field === 'id') event.id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
    }
  }

  async function connect() {
    try {
      const headers = { Accept: 'text/event-stream' };
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      const response = await fetch(url, authorized({ headers, cache: 'no-store' }));
      if (response.status === 401 || response.status === 403) {
        await refused(response);
        status(false);
        return; // the sign-in form reloads the page
      }
      if (response.ok) {
        status(true);
        await read(response);
      }
    } catch {
      // the frontend went away or the network failed: try again below
    }
    status(false);
    setTimeout(connect, retry);
  }

  connect();
}
