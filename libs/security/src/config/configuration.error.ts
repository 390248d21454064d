/**
 * Invalid or missing configuration. Its message is one line naming the variable, so a
 * service that stops at start says exactly what to fix.
 */
export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigurationError';
  }
}
