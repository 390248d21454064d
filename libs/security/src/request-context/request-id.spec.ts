import { resolveRequestId } from './request-id';

describe('resolveRequestId', () => {
  it.each(['abc', 'A.b_c-1', 'x'.repeat(128)])('should keep the well-formed id %s', (id) => {
    expect(resolveRequestId(id)).toBe(id);
  });

  it.each([undefined, '', 'has space', 'x'.repeat(129), '<script>', 'a/b'])(
    'should replace %j with a new UUID',
    (id) => {
      expect(resolveRequestId(id)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    },
  );
});
