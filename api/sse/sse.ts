// SSE framing shared by the task stream and the chat stream: each event is one
// message ended by a blank line; multi-line data becomes one `data:` line per
// line; a `: keep-alive` comment goes out every period so proxies keep the
// connection open; writes are serialised so concurrent producers never
// interleave inside a message.
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

export interface SseMessage {
  event?: string;
  id?: string;
  data: string;
}

export interface SseSink {
  event(message: SseMessage): Promise<void>;
  comment(text: string): Promise<void>;
  /** True once the client went away. */
  readonly aborted: boolean;
  /** Resolves when the client goes away. */
  readonly closed: Promise<void>;
}

/** The bytes of one message, as the seed shows them. */
export function frameSse(message: SseMessage): string {
  for (const v of [message.event, message.id]) {
    if (v !== undefined && /[\r\n]/.test(v)) throw new Error('SSE event names and ids are single-line');
  }
  const lines: string[] = [];
  if (message.event) lines.push(`event: ${message.event}`);
  for (const line of message.data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  if (message.id !== undefined) lines.push(`id: ${message.id}`);
  return `${lines.join('\n')}\n\n`;
}

export function frameComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((l) => `: ${l}`)
    .join('\n')}\n\n`;
}

/**
 * Answers with an event stream and runs `body` with a sink. The stream ends
 * when `body` resolves; `sink.closed` tells `body` the client left.
 */
export function respondWithSse(c: Context, opts: { keepAliveMs: number }, body: (sink: SseSink) => Promise<void>): Response {
  c.header('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    let chain: Promise<void> = Promise.resolve();
    let aborted = false;
    let onClosed!: () => void;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    stream.onAbort(() => {
      aborted = true;
      onClosed();
    });
    const write = (text: string) => {
      chain = chain.then(async () => {
        if (!aborted) await stream.write(text);
      });
      return chain;
    };
    const sink: SseSink = {
      event: (m) => write(frameSse(m)),
      comment: (t) => write(frameComment(t)),
      get aborted() {
        return aborted;
      },
      closed,
    };
    const keepAlive = setInterval(() => void sink.comment('keep-alive'), opts.keepAliveMs);
    keepAlive.unref();
    try {
      await body(sink);
      await chain;
    } finally {
      clearInterval(keepAlive);
      onClosed();
    }
  });
}
