import type { ServerResponse } from 'node:http';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import { startEventStream, writeFlushed } from '../httpIo';
import type { SimSession } from './simSession';

/** A ping now and then keeps a quiet stream's connection alive (the SDK skips ping events). */
const PING_MS = 5_000;

/**
 * GET /v1/sessions/{id}/events/stream: the session's events from now on, one SSE event each (named
 * by its type). History is not replayed; clients list it. The stream ends after the session
 * terminates, when the client goes away, or when the simulator closes.
 */
export function streamSessionEvents(session: SimSession, res: ServerResponse, headers: Record<string, string>, closing: AbortSignal): Promise<void> {
  startEventStream(res, headers);
  return new Promise<void>((resolve) => {
    let writing = Promise.resolve();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      clearInterval(ping);
      closing.removeEventListener('abort', finish);
      void writing.then(() => {
        if (!res.writableEnded) res.end();
        resolve();
      });
    };
    const send = (event: BetaManagedAgentsSessionEvent) => {
      writing = writing.then(() => writeFlushed(res, `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
      if (event.type === 'session.status_terminated' || event.type === 'session.deleted') finish();
    };
    const unsubscribe = session.subscribe(send);
    const ping = setInterval(() => {
      writing = writing.then(() => writeFlushed(res, 'event: ping\ndata: {}\n\n'));
    }, PING_MS);
    res.once('close', finish);
    closing.addEventListener('abort', finish, { once: true });
    if (session.terminated) finish();
  });
}
