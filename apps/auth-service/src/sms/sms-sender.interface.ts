/** Delivers SMS; plug a provider in by binding {@link SMS_SENDER}. */
export interface SmsSender {
  /** False when no provider is bound: every SMS code request then answers 503. */
  readonly configured: boolean;
  send(toE164: string, text: string): Promise<void>;
}

/** Injection token of the {@link SmsSender}. */
export const SMS_SENDER = Symbol('SMS_SENDER');
