// The few Cloudflare Workers runtime shapes this directory uses, declared here so the sources type-check without
// @cloudflare/workers-types (Deno's check has no Workers globals).

/** A server-side WebSocket with the hibernation API's attachment. */
export interface HibernatableWebSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
  readonly readyState: number;
}

export interface DurableObjectStorage {
  get<T>(key: string): Promise<T | undefined>;
  list<T>(options?: { prefix?: string }): Promise<Map<string, T>>;
  put(key: string, value: unknown): Promise<void>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(key: string | string[]): Promise<boolean | number>;
  setAlarm(time: number): Promise<void>;
  getAlarm(): Promise<number | null>;
}

export interface DurableObjectState {
  readonly storage: DurableObjectStorage;
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  acceptWebSocket(ws: HibernatableWebSocket, tags?: string[]): void;
  getWebSockets(tag?: string): HibernatableWebSocket[];
  setWebSocketAutoResponse(pair?: unknown): void;
}

export interface DurableObjectStub {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
}

export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}

/** The Worker's bindings: the three object namespaces plus the `PUSHER_*` vars and secrets. */
export interface WorkerEnv extends Record<string, unknown> {
  PUSHER_SHARDS_NS: DurableObjectNamespace;
  PUSHER_CHANNELS_NS: DurableObjectNamespace;
  PUSHER_HUB_NS: DurableObjectNamespace;
}

/** `new WebSocketPair()` and the 101 response that hands the client end back; Workers-only globals. */
export function webSocketPair(): [HibernatableWebSocket, HibernatableWebSocket] {
  const Pair = (globalThis as unknown as { WebSocketPair: new () => Record<0 | 1, HibernatableWebSocket> })
    .WebSocketPair;
  const pair = new Pair();
  return [pair[0], pair[1]];
}

export function upgradeResponse(client: HibernatableWebSocket, headers?: HeadersInit): Response {
  return new Response(null, { status: 101, webSocket: client, headers } as ResponseInit);
}

/** The runtime's WebSocketRequestResponsePair, when it has one (answers pusher:ping without waking the object). */
export function autoResponse(request: string, response: string): unknown {
  const Pair = (globalThis as unknown as { WebSocketRequestResponsePair?: new (a: string, b: string) => unknown })
    .WebSocketRequestResponsePair;
  return Pair ? new Pair(request, response) : undefined;
}
