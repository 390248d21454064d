import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

import { COMMON_PASSWORDS_TEXT } from './common-passwords.constants';

/** Length bounds of the contract; the upper one also caps argon2's input. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Local parts shorter than this are too generic ("a", "me") to forbid inside a password. */
const MIN_LOCAL_PART_LENGTH = 3;

let commonPasswords: ReadonlySet<string> | undefined;

function commonPasswordSet(): ReadonlySet<string> {
  commonPasswords ??= new Set(
    COMMON_PASSWORDS_TEXT.split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return commonPasswords;
}

/**
 * Whether a password is, or is built from, a commonly used one: the list itself, or a
 * listed word with digits and symbols around it ("Password1234!"), or one character or
 * a listed word repeated ("aaaaaaaaaaaa", "qwertyqwerty").
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const list = commonPasswordSet();
  if (list.has(lower)) return true;
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core.length >= 4 && list.has(core) && core.length * 2 >= lower.length) return true;
  const repeated = /^(.+?)\1+$/.exec(lower);
  return repeated !== null && (repeated[1].length === 1 || list.has(repeated[1]));
}

/** The email's local part, when long enough to be worth forbidding. */
function localPartOf(email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const local = email.trim().toLowerCase().split('@')[0].split('+')[0];
  return local.length >= MIN_LOCAL_PART_LENGTH ? local : undefined;
}

/**
 * Why a password is refused, or `undefined` when it is acceptable: 12 to 128 characters,
 * not common, not containing the local part of the account's email.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;
  }
  if (isCommonPassword(password)) return 'is too common; choose a less predictable password';
  const local = localPartOf(email);
  if (local && password.toLowerCase().includes(local)) {
    return 'must not contain the name part of your email address';
  }
  return undefined;
}

/**
 * class-validator decorator applying {@link passwordProblem}; `emailProperty` names the
 * sibling property holding the email, when the body has one.
 */
export function IsAcceptablePassword(
  emailProperty?: string,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  const emailOf = (args: ValidationArguments) =>
    emailProperty ? (args.object as Record<string, unknown>)[emailProperty] : undefined;
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          typeof value === 'string' &&
          passwordProblem(value, args ? (emailOf(args) as string | undefined) : undefined) ===
            undefined,
        defaultMessage: (args?: ValidationArguments) => {
          const value = args?.value;
          if (typeof value !== 'string') return `${args?.property} must be a string`;
          const email = args ? (emailOf(args) as string | undefined) : undefined;
          return `${args?.property} ${passwordProblem(value, email)}`;
        },
      },
    },
    validationOptions,
  );
}
