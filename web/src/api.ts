// The HTTP side: every data request goes through Api, which adds the API key (kept in
// localStorage) and asks for one when the server answers 401.

const kKeyName = 'vitals.api_key';

export class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

type KeyPrompt = (reason: string) => Promise<string | null>;

export class Api {
  private prompting: Promise<string | null> | null = null;
  private keyWaitListeners = new Set<() => void>();

  constructor(private readonly askKey: KeyPrompt) {}

  // True while the key dialog is open: views show a neutral "waiting for a key" instead of an
  // empty or failed state (F18).
  get waitingForKey(): boolean {
    return this.prompting !== null;
  }

  onKeyWait(listener: () => void): () => void {
    this.keyWaitListeners.add(listener);
    return () => this.keyWaitListeners.delete(listener);
  }

  get key(): string {
    return localStorage.getItem(kKeyName) ?? '';
  }

  set key(value: string) {
    if (value) localStorage.setItem(kKeyName, value);
    else localStorage.removeItem(kKeyName);
  }

  // GET or POST JSON; on 401/403 asks once for a key (shared by concurrent callers) and retries.
  async request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    for (let attempt = 0; ; ++attempt) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (this.key) headers.Authorization = `Bearer ${this.key}`;
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      if ((res.status === 401 || res.status === 403) && attempt < 3) {
        const reason = res.status === 401 ? 'This server needs an API key.' : 'This key may not read here.';
        const key = await this.promptOnce(reason);
        if (key === null) throw new HttpError(res.status, 'no API key');
        continue;
      }
      const text = await res.text();
      const body = text ? JSON.parse(text) : null;
      if (!res.ok) throw new HttpError(res.status, body?.error ?? res.statusText);
      return body as T;
    }
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>(path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'POST', body });
  }

  private notifyKeyWait(): void {
    for (const l of this.keyWaitListeners) l();
  }

  private promptOnce(reason: string): Promise<string | null> {
    if (!this.prompting) {
      this.prompting = this.askKey(reason).then((key) => {
        this.prompting = null;
        if (key !== null) this.key = key;
        this.notifyKeyWait();
        return key;
      });
      this.notifyKeyWait();
    }
    return this.prompting;
  }
}
