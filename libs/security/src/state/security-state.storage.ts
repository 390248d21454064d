import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Result } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { DependencyUnavailableException } from '../errors/dependency-unavailable.exception';
import {
  createSubscriberClient,
  waitUntilReady,
  type RedisClient,
} from '../redis/redis-client.factory';
import { SECURITY_OPTIONS, SECURITY_REDIS } from '../security.tokens';
import { ipInRange, parseIpRange } from './ip-range';
import {
  READ_STATE_SCRIPT,
  STATE_CHANNEL_SUFFIX,
  STATE_KEY_SUFFIXES,
  WRITE_STATE_SCRIPT,
} from './security-state.scripts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    msbWriteState(...args: string[]): Result<[number, string], Context>;
    msbReadState(...args: string[]): Result<unknown[], Context>;
  }
}

/** An active IP block as stored and listed. */
export interface IpBlock {
  id: string;
  ip: string;
  reason: string;
  created_at: string;
  expires_at: string;
}

type StateOp =
  'revoke-jti' | 'revoke-sid' | 'valid-after' | 'lock' | 'unlock' | 'block' | 'unblock';

interface StateMessage {
  v: number;
  op: StateOp;
  args: string[];
}

interface LocalBlock extends IpBlock {
  expiresAtMs: number;
  range: NonNullable<ReturnType<typeof parseIpRange>>;
}

const RESYNC_INTERVAL_MS = 1_000;
const STARTUP_WAIT_MS = 3_000;

/**
 * The revocation and IP-block state, kept in Redis and mirrored in every process.
 *
 * Writers run one Lua script that changes the state, bumps a version and publishes the
 * change; every instance applies published changes to its mirror, reloads the whole
 * state when it sees a gap in versions or reconnects, and checks the version once a
 * second in case a message was lost. Reads on the request path are therefore local and
 * cost no Redis round trip. While the mirror cannot be trusted (subscriber down, not yet
 * loaded) `assertReady` throws, so authenticated requests fail closed with 503.
 *
 * Without Redis (`SECURITY_REDIS` is `null`) the mirror is the only copy: development only.
 */
@Injectable()
export class SecurityStateStorage implements OnModuleInit, OnApplicationShutdown {
  private readonly revokedJti = new Map<string, number>();
  private readonly revokedSid = new Map<string, number>();
  private readonly validAfter = new Map<string, number>();
  private readonly lockedUsers = new Set<string>();
  private readonly blocks = new Map<string, LocalBlock>();
  private version = 0;
  private synced = false;
  private subscriber?: RedisClient;
  private resyncTimer?: NodeJS.Timeout;
  private reloading?: Promise<void>;
  private readonly keys: string[] = [...STATE_KEY_SUFFIXES];
  private readonly channel: string;

  constructor(
    @Inject(SECURITY_REDIS) private readonly redis: RedisClient | null,
    @Inject(SECURITY_OPTIONS) options: SecurityModuleOptions,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('SecurityStateStorage');
    this.channel = `${options.redis?.keyPrefix ?? ''}${STATE_CHANNEL_SUFFIX}`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.redis.defineCommand('msbWriteState', { numberOfKeys: 6, lua: WRITE_STATE_SCRIPT });
    this.redis.defineCommand('msbReadState', { numberOfKeys: 6, lua: READ_STATE_SCRIPT });
    this.subscriber = createSubscriberClient(this.redis);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.onMessage(message);
    });
    this.subscriber.on('ready', () => void this.resubscribe());
    this.subscriber.on('close', () => this.markStale('subscriber connection closed'));
    this.resyncTimer = setInterval(() => void this.checkVersion(), RESYNC_INTERVAL_MS);
    this.resyncTimer.unref();
    await this.firstSync(STARTUP_WAIT_MS);
  }

  /** Waits until the mirror is in sync, or `timeoutMs` (then it keeps trying in the background). */
  private async firstSync(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    if (!(await waitUntilReady(this.subscriber as RedisClient, timeoutMs))) return;
    while (!this.synced && Date.now() < deadline) {
      await (this.reloading ?? new Promise((resolve) => setTimeout(resolve, 10)));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.subscriber?.disconnect();
  }

  /** Whether reads reflect the shared state. */
  get ready(): boolean {
    return this.redis === null || this.synced;
  }

  /** @throws DependencyUnavailableException while the mirror cannot be trusted. */
  assertReady(): void {
    if (!this.ready) throw new DependencyUnavailableException('redis');
  }

  isTokenRevoked(jti: string): boolean {
    return (this.revokedJti.get(jti) ?? 0) > Date.now();
  }

  isSessionRevoked(sid: string): boolean {
    return (this.revokedSid.get(sid) ?? 0) > Date.now();
  }

  /** Tokens of `userId` issued before this (seconds) are revoked; 0 when none are. */
  validAfterOf(userId: string): number {
    return this.validAfter.get(userId) ?? 0;
  }

  isUserLocked(userId: string): boolean {
    return this.lockedUsers.has(userId);
  }

  /** The active block covering `ip`, if any. */
  blockCovering(ip: string): IpBlock | undefined {
    const now = Date.now();
    for (const block of this.blocks.values()) {
      if (block.expiresAtMs > now && ipInRange(ip, block.range)) return block;
    }
    return undefined;
  }

  activeBlocks(): IpBlock[] {
    const now = Date.now();
    return [...this.blocks.values()]
      .filter((block) => block.expiresAtMs > now)
      .map(({ id, ip, reason, created_at, expires_at }) => ({
        id,
        ip,
        reason,
        created_at,
        expires_at,
      }));
  }

  /**
   * Applies a change everywhere. Resolves once Redis has it (and so every subscriber will
   * within milliseconds); returns the op's result (the valid-after seconds for that op).
   */
  async write(op: StateOp, ...args: string[]): Promise<string> {
    if (!this.redis) return this.apply({ v: this.version + 1, op, args: this.localArgs(op, args) });
    let result: [number, string];
    try {
      result = await this.redis.msbWriteState(...this.keys, this.channel, op, ...args);
    } catch (error) {
      this.logger.error({ err: error, op }, 'security state write failed');
      throw new DependencyUnavailableException('redis');
    }
    this.onMessage(JSON.stringify({ v: result[0], op, args: [args[0], result[1] || args[1]] }));
    return result[1];
  }

  private localArgs(op: StateOp, args: string[]): string[] {
    if (op !== 'valid-after') return args;
    const wanted = Math.max(this.validAfterOf(args[0]), Math.floor(Date.now() / 1000) + 1);
    return [args[0], String(wanted)];
  }

  private onMessage(raw: string): void {
    let message: StateMessage;
    try {
      message = JSON.parse(raw) as StateMessage;
    } catch {
      return;
    }
    if (message.v <= this.version) return;
    if (message.v !== this.version + 1 || !this.synced) {
      void this.reload();
      return;
    }
    this.apply(message);
  }

  private apply({ v, op, args }: StateMessage): string {
    const [subject, value] = args;
    switch (op) {
      case 'revoke-jti':
        this.revokedJti.set(subject, Number(value));
        break;
      case 'revoke-sid':
        this.revokedSid.set(subject, Number(value));
        break;
      case 'valid-after':
        this.validAfter.set(subject, Math.max(this.validAfterOf(subject), Number(value)));
        break;
      case 'lock':
        this.lockedUsers.add(subject);
        break;
      case 'unlock':
        this.lockedUsers.delete(subject);
        break;
      case 'block':
        this.addBlock(value);
        break;
      case 'unblock':
        this.blocks.delete(subject);
        break;
    }
    this.version = v;
    return op === 'valid-after' ? String(this.validAfterOf(subject)) : '';
  }

  private addBlock(json: string): void {
    const block = JSON.parse(json) as IpBlock;
    const range = parseIpRange(block.ip);
    if (!range) return;
    this.blocks.set(block.id, { ...block, range, expiresAtMs: Date.parse(block.expires_at) });
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel);
      await this.reload();
    } catch (error) {
      this.logger.warn(
        { err: error },
        'security state resubscribe failed; retrying on next reconnect',
      );
    }
  }

  private markStale(reason: string): void {
    if (!this.synced) return;
    this.synced = false;
    this.logger.warn(
      { reason },
      'security state mirror is stale; authenticated requests fail closed',
    );
  }

  private reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async load(): Promise<void> {
    if (!this.redis) return;
    try {
      const [version, jti, sid, validAfter, locked, blocks] = (await this.redis.msbReadState(
        ...this.keys,
      )) as [number, string[], string[], string[], string[], string[]];
      this.replaceAll(version, jti, sid, validAfter, locked, blocks);
      const wasStale = !this.synced;
      this.synced = this.subscriber?.status === 'ready';
      if (wasStale && this.synced) this.logger.info({ version }, 'security state mirror in sync');
    } catch (error) {
      this.markStale('reload failed');
      this.logger.warn({ err: error }, 'security state reload failed');
    }
  }

  private replaceAll(
    version: number,
    jti: string[],
    sid: string[],
    validAfter: string[],
    locked: string[],
    blocks: string[],
  ): void {
    fillFromPairs(this.revokedJti, jti);
    fillFromPairs(this.revokedSid, sid);
    fillFromPairs(this.validAfter, validAfter);
    this.lockedUsers.clear();
    for (const user of locked) this.lockedUsers.add(user);
    this.blocks.clear();
    for (let i = 1; i < blocks.length; i += 2) this.addBlock(blocks[i]);
    this.version = version;
  }

  private async checkVersion(): Promise<void> {
    if (!this.redis || this.redis.status !== 'ready') return;
    try {
      const current = Number((await this.redis.get(this.keys[5])) ?? 0);
      if (current !== this.version || !this.synced) await this.reload();
    } catch {
      // The next tick tries again; readiness follows the subscriber connection.
    }
  }
}

function fillFromPairs(target: Map<string, number>, pairs: string[]): void {
  target.clear();
  for (let i = 0; i + 1 < pairs.length; i += 2) target.set(pairs[i], Number(pairs[i + 1]));
}
