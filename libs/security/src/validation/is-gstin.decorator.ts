import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

const GSTIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * State code (2 digits), PAN (5 letters, 4 digits, 1 letter), entity number, the fixed
 * `Z`, and the check character.
 */
const GSTIN_PATTERN = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

/** Name of the validation constraint, as reported by class-validator. */
export const IS_GSTIN = 'isGstin';

/**
 * The check character of the first 14 characters of a GSTIN: a Luhn mod 36 over the
 * alphabet `0-9A-Z`, weights 1 and 2 alternating from the left.
 */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let index = 0; index < 14; index += 1) {
    const product = GSTIN_ALPHABET.indexOf(first14[index]) * (index % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return GSTIN_ALPHABET[(36 - (sum % 36)) % 36];
}

/**
 * Whether `value` is a well-formed 15-character GSTIN (upper case) whose last character
 * is the right check character.
 *
 * @example
 * isGstin('27AAPFU0939F1ZV'); // true
 * isGstin('27AAPFU0939F1ZA'); // false: wrong check character
 */
export function isGstin(value: unknown): value is string {
  if (typeof value !== 'string' || !GSTIN_PATTERN.test(value)) return false;
  return gstinCheckCharacter(value.slice(0, 14)) === value[14];
}

/**
 * class-validator decorator: the property must be a valid GSTIN (see {@link isGstin}).
 * Combine with `@IsOptional()` when the number may be left out.
 *
 * @example
 * @IsOptional()
 * @IsGstin()
 * gst_number?: string;
 */
export function IsGstin(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_GSTIN,
      validator: {
        validate: (value: unknown) => isGstin(value),
        defaultMessage: buildMessage(
          (eachPrefix) =>
            `${eachPrefix}$property must be a 15-character GSTIN with a valid check character`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
