import { REDACTED, redactSecrets } from './redaction.constants';

describe('redactSecrets', () => {
  it('should replace secret fields at any depth and in arrays', () => {
    const input = {
      user: 'a@b.test',
      password: 'p',
      nested: { Authorization: 'Bearer x', deeper: [{ refresh_token: 'r', keep: 1 }] },
    };

    expect(redactSecrets(input)).toEqual({
      user: 'a@b.test',
      password: REDACTED,
      nested: { Authorization: REDACTED, deeper: [{ refresh_token: REDACTED, keep: 1 }] },
    });
  });

  it('should leave the original object untouched', () => {
    const input = { body: { otp: '123456' } };

    redactSecrets(input);

    expect(input.body.otp).toBe('123456');
  });

  it('should return the same object when there is nothing to redact', () => {
    const input = { a: 1, b: { c: [1, 2] } };

    expect(redactSecrets(input)).toBe(input);
  });

  it('should not walk into class instances such as requests', () => {
    class Request {
      password = 'hidden-by-serializers';
    }
    const request = new Request();

    expect(redactSecrets({ req: request }).req).toBe(request);
  });
});
