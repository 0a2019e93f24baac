// Calls between the Worker and its objects: a POST of JSON to `https://do/{op}`, answered with JSON. Plain fetch keeps
// the classes free of the `cloudflare:workers` import (RPC needs its DurableObject base class).
import type { DurableObjectNamespace, DurableObjectStub, WorkerEnv } from "./_types.ts";

export async function call<T = unknown>(stub: DurableObjectStub, op: string, body: unknown): Promise<T> {
  const res = await stub.fetch(`https://do/${op}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${op}: ${res.status} ${text.slice(0, 200)}`);
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

/** Serves the ops of one object: `{op: handler}`; unknown ops get 404. */
export async function serve(
  request: Request,
  ops: Record<string, (body: Record<string, unknown>) => unknown>,
): Promise<Response> {
  const op = new URL(request.url).pathname.slice(1);
  const handler = Object.hasOwn(ops, op) ? ops[op] : undefined;
  if (!handler) return new Response("unknown op", { status: 404 });
  const result = await handler(await request.json() as Record<string, unknown>);
  return new Response(result === undefined ? "" : JSON.stringify(result), {
    headers: { "content-type": "application/json" },
  });
}

/**
 * Stubs for the three namespaces. An object keeps one `Stubs` for its lifetime and reuses them (bounded); the Worker
 * makes a fresh one per request, because a stub made while serving one request cannot be used by another.
 */
export class Stubs {
  readonly #env: WorkerEnv;
  readonly #cache = new Map<string, DurableObjectStub>();

  constructor(env: WorkerEnv) {
    this.#env = env;
  }

  #get(ns: DurableObjectNamespace, name: string): DurableObjectStub {
    let s = this.#cache.get(name);
    if (!s) {
      s = ns.get(ns.idFromName(name));
      // A stub is cheap to rebuild: forget them all rather than grow with every channel name.
      if (this.#cache.size >= 4096) this.#cache.clear();
      this.#cache.set(name, s);
    }
    return s;
  }

  shard(index: number): DurableObjectStub {
    return this.#get(this.#env.PUSHER_SHARDS_NS, `shard-${index}`);
  }

  channel(channel: string): DurableObjectStub {
    return this.#get(this.#env.PUSHER_CHANNELS_NS, `channel:${channel}`);
  }

  hub(): DurableObjectStub {
    return this.#get(this.#env.PUSHER_HUB_NS, "hub");
  }
}

/** Connection shards: `PUSHER_SHARDS` (1–64), 4 by default. */
export function shardCount(env: WorkerEnv): number {
  const n = Number(env.PUSHER_SHARDS ?? 4);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 4;
}
