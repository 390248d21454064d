import { isCommonPassword, passwordProblem } from './password-policy.decorator';

describe('passwordProblem', () => {
  it.each([
    ['Short-1!', 'too short'],
    ['x'.repeat(129), 'too long'],
    ['password1234', 'a listed password'],
    ['Password1234!', 'a listed word with digits and symbols around it'],
    ['qwertyqwertyqwerty', 'a listed word repeated'],
    ['aaaaaaaaaaaaaa', 'one character repeated'],
  ])('should refuse %s (%s)', (password) => {
    expect(passwordProblem(password)).toBeDefined();
  });

  it('should refuse a password containing the local part of the email', () => {
    expect(passwordProblem('My-Meenakshi-Secret-9', 'Meenakshi@example.com')).toMatch(/email/);
  });

  it('should accept a long uncommon password, counting characters rather than bytes', () => {
    expect(passwordProblem('Tangerine-Violin-Harbour-7')).toBeUndefined();
    expect(passwordProblem('ಕನ್ನಡ-ಪಾಸ್‌ವರ್ಡ್-2026')).toBeUndefined();
  });
});

describe('isCommonPassword', () => {
  it('should know the top of the list and not flag a random phrase', () => {
    expect(isCommonPassword('123456789012')).toBe(false);
    expect(isCommonPassword('iloveyou')).toBe(true);
    expect(isCommonPassword('Correct-Staple-Mango-11')).toBe(false);
  });
});
