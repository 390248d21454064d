import { RequestContext, type RequestContextStore } from './request-context';

function store(correlationId: string): RequestContextStore {
  return { correlationId, clientIp: '127.0.0.1' };
}

describe('RequestContext.once', () => {
  it('should load a key once per request and share the result with every caller', async () => {
    const load = jest.fn(async () => ({ id: 'a' }));

    const [first, second] = await RequestContext.run(store('r1'), () =>
      Promise.all([RequestContext.once('msme:a', load), RequestContext.once('msme:a', load)]),
    );

    expect(load).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
  });

  it('should load separately for different keys and different requests', async () => {
    const load = jest.fn(async () => 'row');

    await RequestContext.run(store('r1'), async () => {
      await RequestContext.once('msme:a', load);
      await RequestContext.once('msme:b', load);
    });
    await RequestContext.run(store('r2'), () => RequestContext.once('msme:a', load));

    expect(load).toHaveBeenCalledTimes(3);
  });

  it('should load on every call outside a request', async () => {
    const load = jest.fn(async () => 'row');

    await RequestContext.once('msme:a', load);
    await RequestContext.once('msme:a', load);

    expect(load).toHaveBeenCalledTimes(2);
  });
});
