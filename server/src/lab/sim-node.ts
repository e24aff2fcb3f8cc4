import type { Socket } from 'node:net';
import { LOCALHOST } from './addresses.ts';
import { openBlackHole, type BlackHole } from './black-hole.ts';
import { errorCode, type LabListener } from './listeners.ts';
import {
  behaviourOf,
  DEFAULT_FLAP_PERIOD_MS,
  DEFAULT_LATENCY_MS,
  type AnswerMode,
  type Behaviour,
  type NodeState,
  type StateOptions,
} from './node-state.ts';
import type { ServiceName, ServiceSpec } from './services.ts';
import { openListener, type ListenerContext, type OpenListener } from './sim-listener.ts';

/** Where a node goes when its loopback alias cannot be bound (macOS has only 127.0.0.1 by default). */
const FALLBACK_ADDRESS = LOCALHOST;

export type LabRole = 'hq-primary' | 'hq-secondary' | 'distributed' | 'witness';

export interface SimNodeOptions {
  id: string;
  name: string;
  role: LabRole;
  /** Its own loopback alias, e.g. 127.0.1.10. */
  address: string;
  services: ServiceSpec[];
  log: (line: string) => void;
  /** `false` skips the alias and uses 127.0.0.1 with free ports, as when the alias cannot be bound. */
  loopbackAliases?: boolean;
}

/** What the lab reports about one node. */
export interface SimNodeView {
  id: string;
  name: string;
  role: LabRole;
  address: string;
  state: NodeState;
  latencyMs?: number;
  periodMs?: number;
  /** Current half of a `flapping` cycle. */
  phase?: 'serving' | 'stopped';
  ports: Partial<Record<ServiceName, number>>;
}

/** Where a node can be reached, for the generated monitor config. */
export interface NodeEndpoints {
  address: string;
  ports: Partial<Record<ServiceName, number>>;
}

/**
 * One simulated server. State changes are queued so that each one finishes (listeners closed or
 * bound, held connections destroyed, pending answers cancelled) before the next begins.
 */
export class SimNode {
  readonly id: string;
  readonly name: string;
  readonly role: LabRole;
  private address: string;
  private readonly ports = new Map<ServiceName, number>();
  private readonly open = new Map<ServiceName, OpenListener>();
  /** Held while `down`: the node's ports, silent. */
  private blackHole: BlackHole | null = null;
  private readonly connections = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private state: NodeState = 'down';
  private options: StateOptions = {};
  private phase: 'serving' | 'stopped' = 'serving';
  private mode: AnswerMode = 'answer';
  private flapTimer: NodeJS.Timeout | undefined;
  /** Bumped by every setState, so a flap toggle queued before it is ignored. */
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly context: ListenerContext;

  constructor(private readonly opts: SimNodeOptions) {
    this.id = opts.id;
    this.name = opts.name;
    this.role = opts.role;
    this.address = opts.address;
    this.context = {
      nodeName: opts.name,
      mode: () => this.mode,
      latencyMs: () => this.options.latencyMs ?? DEFAULT_LATENCY_MS,
      track: (socket) => this.track(socket),
      later: (fn, ms) => this.later(fn, ms),
    };
  }

  /** Binds every listener once (fixing ports that were picked freely), then enters `initial`. */
  async start(initial: NodeState, options: StateOptions = {}): Promise<void> {
    await this.enqueue(() => this.bindAll());
    await this.setState(initial, options);
  }

  setState(state: NodeState, options: StateOptions = {}): Promise<void> {
    checkOptions(options);
    return this.enqueue(async () => {
      if (this.closed) throw new Error(`node ${this.id} is closed`);
      this.stopFlapping();
      const generation = ++this.generation;
      this.state = state;
      this.options = {
        latencyMs: state === 'slow' ? (options.latencyMs ?? DEFAULT_LATENCY_MS) : undefined,
        periodMs: state === 'flapping' ? (options.periodMs ?? DEFAULT_FLAP_PERIOD_MS) : undefined,
      };
      // Flapping starts by dropping: the node was most likely serving just before.
      this.phase = state === 'flapping' ? 'stopped' : 'serving';
      await this.reconcile(behaviourOf(state, this.phase));
      if (state === 'flapping') this.flapTimer = setInterval(() => this.toggleFlap(generation), this.options.periodMs);
    });
  }

  view(): SimNodeView {
    return {
      id: this.id,
      name: this.name,
      role: this.role,
      address: this.address,
      state: this.state,
      ...(this.options.latencyMs !== undefined && { latencyMs: this.options.latencyMs }),
      ...(this.options.periodMs !== undefined && { periodMs: this.options.periodMs, phase: this.phase }),
      ports: Object.fromEntries(this.ports),
    };
  }

  endpoints(): NodeEndpoints {
    return { address: this.address, ports: Object.fromEntries(this.ports) };
  }

  listeners(): LabListener[] {
    return [...this.open.values()].map((l) => ({
      nodeId: this.id,
      service: l.spec.name,
      protocol: l.spec.protocol,
      address: this.address,
      port: l.port,
      socket: l.socket,
    }));
  }

  close(): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      this.closed = true;
      this.stopFlapping();
      await this.reconcile({ hostOpen: false, servicesOpen: false, mode: 'answer' });
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async bindAll(): Promise<void> {
    if (this.opts.loopbackAliases === false && this.address !== FALLBACK_ADDRESS) this.fallBack('loopback aliases are turned off');
    try {
      for (const spec of this.opts.services) await this.openOne(spec);
    } catch (err) {
      if (errorCode(err) !== 'EADDRNOTAVAIL' || this.address === FALLBACK_ADDRESS) throw err;
      await this.reconcile({ hostOpen: false, servicesOpen: false, mode: 'answer' });
      this.fallBack(`cannot bind ${this.address} (EADDRNOTAVAIL: this system has no such loopback alias)`);
      for (const spec of this.opts.services) await this.openOne(spec);
    }
  }

  private fallBack(reason: string): void {
    this.opts.log(
      `lab: ${this.id} (${this.name}): ${reason}; using ${FALLBACK_ADDRESS} with its own ports instead (the generated config uses them)`,
    );
    this.address = FALLBACK_ADDRESS;
    this.ports.clear();
    for (const spec of this.opts.services) this.ports.set(spec.name, 0);
  }

  private async openOne(spec: ServiceSpec): Promise<void> {
    const planned = this.ports.get(spec.name) ?? spec.port;
    let listener: OpenListener;
    try {
      listener = await openListener(spec, this.address, planned, this.context);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EACCES' && planned > 0 && planned < 1024) {
        listener = await openListener(spec, this.address, 0, this.context);
        this.opts.log(`lab: ${this.id}: port ${planned}/${spec.protocol} needs privileges; ${spec.name} uses ${listener.port} instead`);
      } else if (code === 'EADDRINUSE') {
        throw new Error(
          `lab: ${this.id}: ${this.address}:${planned}/${spec.protocol} is already in use (another lab on the same addresses?)`,
          {
            cause: err,
          },
        );
      } else {
        throw err;
      }
    }
    this.ports.set(spec.name, listener.port);
    this.open.set(spec.name, listener);
  }

  /**
   * Opens and closes listeners to match `behaviour`; every held connection and pending answer is
   * dropped. A silent behaviour (`down`) then holds every port of the node in a black hole, released
   * before anything listens again.
   */
  private async reconcile(behaviour: Behaviour): Promise<void> {
    this.mode = behaviour.mode;
    const wanted = (spec: ServiceSpec) => (spec.role === 'host' ? behaviour.hostOpen : behaviour.servicesOpen);
    const closing: Promise<void>[] = [];
    for (const [name, listener] of this.open) {
      if (wanted(listener.spec)) continue;
      closing.push(listener.close()); // stops accepting now
      this.open.delete(name);
    }
    this.dropConnections();
    await Promise.all(closing);
    if (behaviour.silent) {
      this.blackHole ??= await this.silence();
      return;
    }
    await this.blackHole?.close();
    this.blackHole = null;
    for (const spec of this.opts.services) if (wanted(spec) && !this.open.has(spec.name)) await this.openOne(spec);
  }

  /** Every port of the node held silent, as a machine that is off leaves them. */
  private silence(): Promise<BlackHole> {
    const ports = (protocol: 'tcp' | 'udp') =>
      this.opts.services.filter((spec) => spec.protocol === protocol).map((spec) => this.ports.get(spec.name) ?? spec.port);
    return openBlackHole(this.address, ports('tcp'), ports('udp'));
  }

  private toggleFlap(generation: number): void {
    this.enqueue(async () => {
      if (this.closed || generation !== this.generation) return;
      this.phase = this.phase === 'serving' ? 'stopped' : 'serving';
      await this.reconcile(behaviourOf('flapping', this.phase));
    }).catch((err: unknown) => this.opts.log(`lab: ${this.id}: flapping failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private stopFlapping(): void {
    clearInterval(this.flapTimer);
    this.flapTimer = undefined;
  }

  private dropConnections(): void {
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(socket: Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => undefined); // a peer reset is not the lab's problem
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

function checkOptions(options: StateOptions): void {
  if (options.latencyMs !== undefined && !(Number.isFinite(options.latencyMs) && options.latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be a number ≥ 0, got ${options.latencyMs}`);
  }
  if (options.periodMs !== undefined && !(Number.isFinite(options.periodMs) && options.periodMs >= 1)) {
    throw new RangeError(`periodMs must be a number ≥ 1, got ${options.periodMs}`);
  }
}
