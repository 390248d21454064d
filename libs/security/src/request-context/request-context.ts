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
};
