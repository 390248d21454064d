import { AsyncLocalStorage } from 'node:async_hooks';

/** What the library knows about the request being served. */
export interface RequestContextStore {
  correlationId: string;
  clientIp: string;
  /** Set by the authentication guard once the caller is verified. */
  userId?: string;
  /** The caller's credential as a bearer `Authorization` value, forwarded on outbound calls; never logged. */
  authorization?: string;
  /** The matched route pattern (`/api/msme/:msme_id`), once routing has happened. */
  route?: string;
  /** Loads shared within the request by {@link RequestContext.once}. */
  loads?: Map<string, Promise<unknown>>;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/**
 * The current request's correlation id and client address, available anywhere below the
 * request (services, TypeORM subscribers, outbound calls) without passing them around.
 */
export const RequestContext = {
  run<T>(store: RequestContextStore, work: () => T): T {
    return storage.run(store, work);
  },

  current(): RequestContextStore | undefined {
    return storage.getStore();
  },

  correlationId(): string | undefined {
    return storage.getStore()?.correlationId;
  },

  /**
   * Runs `load` once per request for `key` and gives every caller in the request the same
   * promise, so a guard and a handler that need one record read it once. Outside a request
   * each call loads.
   *
   * @example
   * findOne(id: string) {
   *   return RequestContext.once(`msme:${id}`, () => this.msmes.findOneBy({ id }));
   * }
   */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const store = storage.getStore();
    if (!store) return load();
    store.loads ??= new Map();
    let loading = store.loads.get(key) as Promise<T> | undefined;
    if (!loading) {
      loading = load();
      store.loads.set(key, loading);
    }
    return loading;
  },
};
