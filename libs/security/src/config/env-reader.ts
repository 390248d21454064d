import { ConfigurationError } from './configuration.error';

type Env = Record<string, string | undefined>;

/**
 * Typed reads of environment variables that fail with a {@link ConfigurationError}
 * naming the variable. Shared by the library and the services' own configuration.
 */
export class EnvReader {
  constructor(private readonly env: Env = process.env) {}

  string(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    throw new ConfigurationError(name, 'is required');
  }

  optionalString(name: string): string | undefined {
    return this.env[name]?.trim() || undefined;
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    if (!/^-?\d+$/.test(raw))
      throw new ConfigurationError(name, `must be an integer, got "${raw}"`);
    const value = Number(raw);
    if (range.min !== undefined && value < range.min) {
      throw new ConfigurationError(name, `must be at least ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      throw new ConfigurationError(name, `must be at most ${range.max}`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    throw new ConfigurationError(name, `must be true or false, got "${raw}"`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    throw new ConfigurationError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }

  url(name: string, fallback?: string): string {
    const value = this.string(name, fallback);
    try {
      new URL(value);
    } catch {
      throw new ConfigurationError(name, 'must be a URL');
    }
    return value;
  }

  list(name: string): string[] {
    return (this.env[name] ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }

  /** Every variable whose name starts with `prefix`, keyed by the rest of the name. */
  withPrefix(prefix: string): Map<string, string> {
    const found = new Map<string, string>();
    for (const [name, value] of Object.entries(this.env)) {
      if (name.startsWith(prefix) && value?.trim())
        found.set(name.slice(prefix.length), value.trim());
    }
    return found;
  }
}
