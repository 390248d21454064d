import type { ValueTransformer } from 'typeorm';

/**
 * pg returns `bigint` as a string to avoid losing precision; the amounts stored here are
 * validated to stay far below `Number.MAX_SAFE_INTEGER`, so a number is exact.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
