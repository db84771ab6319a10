// The live feed: one WebSocket to /ws/health, reconnected with exponential backoff (and jitter)
// whenever it drops. Each (re)connection is announced so views reload their snapshot: events
// sent while the page was away are not replayed after a server restart.

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveEvent {
  type: string;
  data: any;
  id?: number;
}

interface Handlers {
  onEvent(event: LiveEvent): void;
  onState(state: LiveState, detail: string): void;
  onOpen(): void;
  // The socket closed before it opened: the server is down, or refused the key.
  onFail(): void;
}

const kMinDelayMs = 250;
const kMaxDelayMs = 8000;
const kPingMs = 20000;

export class Live {
  private socket: WebSocket | null = null;
  private delay = kMinDelayMs;
  private retryTimer = 0;
  private pingTimer = 0;
  private stopped = false;
  private started = false;

  constructor(
    private readonly keyOf: () => string,
    private readonly handlers: Handlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.started = true;
    this.connect('connecting');
  }

  // Drops the connection now and reconnects at once (e.g. after a new API key was entered).
  // Before start() there is nothing to restart.
  restart(): void {
    if (!this.started || this.stopped) return;
    this.delay = kMinDelayMs;
    if (this.socket) return this.socket.close();
    window.clearTimeout(this.retryTimer);
    this.connect('reconnecting');
  }

  private url(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const key = this.keyOf();
    const query = key ? `?api_key=${encodeURIComponent(key)}` : '';
    return `${scheme}://${location.host}/ws/health${query}`;
  }

  private connect(state: LiveState): void {
    this.handlers.onState(state, state === 'connecting' ? 'connecting…' : 'reconnecting…');
    const ws = new WebSocket(this.url());
    this.socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.delay = kMinDelayMs;
      this.handlers.onState('live', 'live');
      this.handlers.onOpen();
      this.pingTimer = window.setInterval(() => this.send({ type: 'ping' }), kPingMs);
    };
    ws.onmessage = (m) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(m.data as string);
      } catch {
        return;
      }
      this.handlers.onEvent(event);
    };
    ws.onclose = () => {
      window.clearInterval(this.pingTimer);
      if (this.socket !== ws || this.stopped) return;
      this.socket = null;
      if (!opened) this.handlers.onFail();
      const wait = this.delay * (0.8 + Math.random() * 0.4);
      this.delay = Math.min(kMaxDelayMs, this.delay * 2);
      this.handlers.onState('reconnecting', `reconnecting in ${(wait / 1000).toFixed(1)} s…`);
      this.retryTimer = window.setTimeout(() => this.connect('reconnecting'), wait);
    };
  }

  send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    this.socket?.close();
  }
}
