import type { AuthConfig } from '../config/auth.config';
import { SecretHasher } from './secret-hasher.service';

describe(SecretHasher.name, () => {
  const hasher = new SecretHasher({ secretKey: 'k'.repeat(40) } as AuthConfig);

  describe('matches', () => {
    it('should match the same secret in the same context only', () => {
      const stored = hasher.hash('refresh_token', 'secret-value');

      expect(hasher.matches('refresh_token', 'secret-value', stored)).toBe(true);
      expect(hasher.matches('api_token', 'secret-value', stored)).toBe(false);
      expect(hasher.matches('refresh_token', 'secret-valuf', stored)).toBe(false);
      expect(hasher.matches('refresh_token', 'secret-value', 'abcd')).toBe(false);
    });
  });

  describe('hash', () => {
    it('should depend on the key', () => {
      const other = new SecretHasher({ secretKey: 'j'.repeat(40) } as AuthConfig);

      expect(other.hash('otp', '123456')).not.toBe(hasher.hash('otp', '123456'));
      expect(hasher.hash('otp', '123456')).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
