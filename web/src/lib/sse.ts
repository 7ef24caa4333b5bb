// Server-Sent Events read from a fetch() body (the chat stream is a POST, so
// EventSource cannot open it). Framing per the HTML standard: lines end with
// CRLF, LF or CR; a blank line ends an event; `data:` lines join with "\n";
// one space after the colon is dropped; lines starting with ":" are comments.

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Feeds text chunks in, calls `onEvent` for each complete event. */
export function createSseParser(onEvent: (event: SseEvent) => void) {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let sawCr = false;

  const dispatch = () => {
    if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
    data = [];
    event = '';
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const name = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') data.push(value);
    else if (name === 'event') event = value;
    else if (name === 'id' && !value.includes('\0')) id = value;
  };

  return {
    push(chunk: string) {
      let text = chunk;
      // A CRLF split across chunks: the LF belongs to the CR already handled.
      if (sawCr && text.startsWith('\n')) text = text.slice(1);
      sawCr = false;
      buffer += text;
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        if (!m) break;
        // A CR at the very end may be the first half of a CRLF: handle it, remember it.
        if (m[0] === '\r' && m.index === buffer.length - 1) sawCr = true;
        line(buffer.slice(0, m.index));
        buffer = buffer.slice(m.index + m[0].length);
      }
    },
    /** End of stream: an unterminated event is dropped, as the standard says. */
    end() {
      buffer = '';
      data = [];
      event = '';
    },
  };
}

/** Reads a streamed response to its end (or until `signal` aborts), event by event. */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void, signal?: AbortSignal): Promise<void> {
  const parser = createSseParser(onEvent);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const abort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
  } finally {
    signal?.removeEventListener('abort', abort);
    parser.end();
  }
}
