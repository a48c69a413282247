import { createPinia, setActivePinia } from 'pinia';
import { createApp } from 'vue';
import type { AppEvent, Channel, Req, Res } from '../../electron/engine/contract.ts';
import { BACKEND_KEY, BackendError, type Backend } from '../backend/backend.ts';

type Handler<C extends Channel> = (request: Req<C>) => Res<C> | Promise<Res<C>>;

/** A backend for component and store tests: answers from handlers, records calls, emits events on demand. */
export class FakeBackend implements Backend {
  readonly calls: Array<{ channel: Channel; request: unknown }> = [];
  private readonly handlers = new Map<Channel, Handler<Channel>>();
  private readonly listeners = new Set<(event: AppEvent) => void>();

  on<C extends Channel>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, handler as unknown as Handler<Channel>);
    return this;
  }

  async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
    this.calls.push({ channel, request });
    const handler = this.handlers.get(channel);
    if (!handler) throw new BackendError({ name: 'UnknownChannelError', message: `No fake for ${channel}` });
    return (await handler(request as Req<Channel>)) as Res<C>;
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AppEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  callsTo(channel: Channel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}

/** An app with a fresh pinia and the fake provided, for stores used outside a component. */
export function withBackend(backend: Backend) {
  const app = createApp({});
  const pinia = createPinia();
  app.use(pinia);
  app.provide(BACKEND_KEY, backend);
  setActivePinia(pinia);
  return { app, pinia, run: <T>(fn: () => T): T => app.runWithContext(fn) };
}

export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
