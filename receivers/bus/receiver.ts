import Redis from 'ioredis';
import { parseDuration, type ReceiverContext, type ReceiverInstance } from '../../src/api';
import { abortableSleep } from '../../src/bus/abortable-sleep';
import { logConnectionState, redisOptions, reconnectDelay } from '../../src/bus/connection';
import type { StreamEntries } from '../../src/bus/stream-reply';
import { signalsOf, topicSetting, type TopicSetting } from '../../src/bus/topics';
import { DEFAULT_DECODE_LIMITS, NissaDecoder } from '../../src/nissa-codec';
import { Claimer } from './claimer';
import { timingsOf, type BusReceiverConfig, type BusTimings } from './config';
import { defaultConsumerName } from './consumer-name';
import { decodeChunk, planRead, type Chunk } from './decode-read';
import { Delivery } from './delivery';
import { GroupOps } from './group-ops';
import { ReadLoop } from './read-loop';

/**
 * Reads the bus topics (Redis streams) as one consumer of a consumer group shared by every
 * Nissa instance. Two connections: one for blocking XREADGROUP, one for XACK, XAUTOCLAIM and the
 * dead-letter stream, so acknowledgements never wait behind a blocked read.
 */
export class BusReceiver implements ReceiverInstance {
  readonly consumer: string;
  private readonly timings: BusTimings;
  private readonly settings = new Map<string, TopicSetting>();
  private readonly decoder: NissaDecoder;
  private readonly stop = new AbortController();
  private reader: Redis | undefined;
  private commands: Redis | undefined;
  private loop: ReadLoop | undefined;
  private claimer: Claimer | undefined;
  private readerId: number | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly ctx: ReceiverContext<BusReceiverConfig>) {
    const c = ctx.config;
    this.consumer = c.consumer || defaultConsumerName();
    this.timings = timingsOf(c);
    for (const topic of c.topics) {
      const setting = topicSetting(topic, c.topic_settings);
      if (signalsOf(setting).some((s) => ctx.output.signals.includes(s))) this.settings.set(c.stream_prefix + topic, setting);
    }
    this.decoder = new NissaDecoder(ctx.series, { ...DEFAULT_DECODE_LIMITS, maxAgeMs: parseDuration(c.max_age), maxFutureMs: parseDuration(c.max_future) });
  }

  /** Stream keys read by this instance (topics whose signal no pipeline takes are left alone). */
  get streams(): readonly string[] {
    return [...this.settings.keys()];
  }

  async start(): Promise<void> {
    const c = this.ctx.config;
    const skipped = c.topics.filter((t) => !this.settings.has(c.stream_prefix + t));
    if (skipped.length > 0) this.ctx.logger.warn('topics not read: no pipeline takes their signal', { topics: skipped });
    this.reader = new Redis(await redisOptions(c, `nissa-read-${this.consumer}`, true, this.timings.connectTimeoutMs));
    this.commands = new Redis(await redisOptions(c, `nissa-cmd-${this.consumer}`, true, this.timings.connectTimeoutMs));
    logConnectionState(this.reader, this.ctx.logger, 'read');
    logConnectionState(this.commands, this.ctx.logger, 'commands');
    // The read connection's id, for CLIENT UNBLOCK at shutdown (it changes with every reconnection).
    this.reader.on('ready', () => void this.reader?.client('ID').then((id) => (this.readerId = Number(id)), () => undefined));
    // Not awaited: a bus that is down at start is waited for (commands queue until connected),
    // it does not fail the collector's start.
    for (const r of [this.reader, this.commands]) r.connect().catch(() => undefined);
    const ops = new GroupOps(this.commands, c.group, this.consumer, c.dead_letter_stream);
    const delivery = new Delivery(this.ctx, ops, this.timings, this.stop.signal);
    const settingOf = (s: string): TopicSetting => this.settings.get(s)!;
    const decode = (chunk: Chunk): ReturnType<typeof decodeChunk> => decodeChunk(chunk, this.decoder, this.ctx.clock.now());
    const deliver = (entries: StreamEntries[], fresh: boolean): Promise<void> => delivery.deliver(planRead(entries, settingOf), fresh, decode);
    this.loop = new ReadLoop(this.ctx, this.reader, ops, {
      streams: this.streams, startId: c.start_id, blockMs: this.timings.blockMs, payloadField: Buffer.from(c.payload_field), signal: this.stop.signal, retryDelay: reconnectDelay,
    }, deliver);
    this.claimer = new Claimer(this.commands, ops, {
      streams: this.streams, minIdleMs: this.timings.minIdleMs, intervalMs: this.timings.claimIntervalMs, count: c.count, payloadField: Buffer.from(c.payload_field),
    }, this.ctx.clock, this.ctx.logger, () => delivery.held(this.ctx.clock.now()), (entries) => deliver(entries, false));
    this.loop.start();
    this.claimer.start();
    this.ctx.logger.info('reading the bus', { streams: this.streams.length, group: c.group, consumer: this.consumer });
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    this.stop.abort();
    // A blocked XREADGROUP returns at once on CLIENT UNBLOCK (as on a timeout). Reads, claims and
    // acknowledgements in progress get `block` (and a little more) to finish; then both
    // connections are closed under whatever still waits (Redis unreachable: commands queued).
    if (this.readerId !== undefined && this.commands?.status === 'ready') await this.commands.client('UNBLOCK', this.readerId).catch(() => undefined);
    const settled = Promise.all([this.claimer?.stop(), this.loop?.drained()]);
    const grace = new AbortController();
    await Promise.race([settled, abortableSleep(this.ctx.clock, this.timings.blockMs + 500, grace.signal)]);
    grace.abort();
    this.reader?.disconnect();
    if (this.commands?.status === 'ready') await this.commands.quit().catch(() => undefined);
    this.commands?.disconnect();
    // ioredis does not reject commands queued while it was reconnecting when it is disconnected:
    // what still waits on them is abandoned (the entries stay pending in Redis).
    await Promise.race([settled, abortableSleep(this.ctx.clock, 100, new AbortController().signal)]);
  }
}
