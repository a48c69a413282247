import type { AppEvent, Channel, Reply, Req, Res } from '../../electron/engine/contract.ts';
import { type Backend, BackendError } from './backend.ts';

const TOKEN_KEY = 'lambdadesk.token';

/**
 * Browser mode: the ChannelMap over the control API (POST /api/<channel>) and events over one
 * WebSocket that reconnects by itself. The token arrives in the URL once, then lives in
 * sessionStorage so it is not left in the address bar or in history.
 */
export function takeToken(location: Location, storage: Storage, history: History): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? '';
}

export interface HttpBackendOptions {
  origin: string;
  token: string;
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  reconnectMs?: number;
}

export function createHttpBackend(options: HttpBackendOptions): Backend {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const listeners = new Set<(event: AppEvent) => void>();
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    const Socket = options.WebSocket ?? WebSocket;
    const url = new URL('/api/events', options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', options.token);
    socket = new Socket(url.href);
    socket.onmessage = (message: MessageEvent) => {
      const event = JSON.parse(String(message.data)) as AppEvent;
      for (const listener of listeners) listener(event);
    };
    socket.onclose = () => {
      socket = undefined;
      if (listeners.size > 0) retry = setTimeout(connect, options.reconnectMs ?? 1000);
    };
  };

  return {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      let response: Response;
      try {
        response = await doFetch(new URL(`/api/${channel}`, options.origin).href, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify(request ?? {}),
        });
      } catch (err) {
        throw new BackendError({ name: 'Disconnected', message: `LambdaDesk is not answering (${(err as Error).message}).`, fix: 'Is `lambdadesk serve --ui` still running?' });
      }
      const reply = (await response.json().catch(() => ({ error: { name: 'BadReply', message: `HTTP ${response.status}` } }))) as Reply<Res<C>>;
      if (reply.error) throw new BackendError(reply.error);
      return reply.result as Res<C>;
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!socket && !retry) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          if (retry) clearTimeout(retry);
          retry = undefined;
          socket?.close();
          socket = undefined;
        }
      };
    },
  };
}
