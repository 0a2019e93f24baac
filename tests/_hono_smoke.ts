// The runtime-agnostic smoke suite for the standalone app (emulator mode, demo credentials). It only needs a way to
// send a request, so the same checks run through app.request(), Deno.serve, Miniflare (workerd), Node and Bun.
import assert from "node:assert/strict";
import { signRequest } from "../src/sign_request.ts";

export interface SmokeResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export type Send = (path: string, init?: RequestInit) => Promise<SmokeResponse>;

export const DEMO = { appId: "1", key: "emulator-key", secret: "emulator-secret" };

/** Signs a request with the demo credentials and returns the path with the query. */
export async function signed(method: string, path: string, body?: string, params?: Record<string, string>) {
  const s = await signRequest({ key: DEMO.key, secret: DEMO.secret, method, path, body, params });
  return `${path}?${s.query}`;
}

async function json(res: SmokeResponse): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 200)}`);
  }
}

/** Runs the checks; throws on the first failure. Returns the names of the checks that ran. */
export async function smokeSuite(send: Send): Promise<string[]> {
  const ran: string[] = [];
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      throw new Error(`smoke: ${name}: ${err instanceof Error ? err.message : err}`, { cause: err });
    }
    ran.push(name);
  };

  await step("health", async () => {
    const res = await send("/health");
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), { ok: true, mode: "emulator" });
  });

  await step("debug page", async () => {
    const res = await send("/");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await res.text(), /pusher-edge emulator/);
  });

  const name = `smoke-${crypto.randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({ name, data: JSON.stringify({ hello: "wörld" }), channels: ["demo"] });
  const path = `/apps/${DEMO.appId}/events`;

  await step("signed trigger accepted", async () => {
    const res = await send(await signed("POST", path, body), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), {});
  });

  await step("tampered trigger rejected with the production text", async () => {
    const url = await signed("POST", path, body);
    const res = await send(url.replace(/auth_timestamp=(\d+)/, (_, t) => `auth_timestamp=${Number(t) + 1}`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 401);
    const text = await res.text();
    assert.match(text, /^Invalid signature: you should have sent HmacSHA256Hex\("POST\\n\/apps\/1\/events\\nauth_key=/);
    assert.match(text, /, your_secret_key\), but you sent "[0-9a-f]{64}"$/);
  });

  await step("recorded event", async () => {
    const res = await send(`/emulator/events?channel=demo`);
    const { events } = await json(res) as { events: { name: string; data: string }[] };
    assert.ok(events.some((e) => e.name === name && e.data === '{"hello":"wörld"}'), "event not recorded");
  });

  await step("seeded presence users", async () => {
    const res = await send(await signed("GET", `/apps/${DEMO.appId}/channels/presence-demo/users`));
    assert.equal(res.status, 200);
    const { users } = await json(res) as { users: { id: string }[] };
    assert.ok(users.length >= 2);
  });

  await step("bad JSON body is a 400 JSON", async () => {
    const bad = "{not json";
    const res = await send(await signed("POST", path, bad), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bad,
    });
    assert.equal(res.status, 400);
    assert.ok(((await json(res)) as { error: string }).error);
  });

  await step("oversized body is a 413 JSON", async () => {
    const big = "x".repeat(300 * 1024);
    const res = await send(`${path}?auth_key=x`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    assert.equal(res.status, 413);
    assert.ok(((await json(res)) as { error: string }).error);
  });

  await step("auth endpoint refuses without a policy", async () => {
    const res = await send("/pusher/auth", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "socket_id=1.1&channel_name=private-a",
    });
    assert.equal(res.status, 403);
    assert.match(((await json(res)) as { error: string }).error, /no policy/);
  });

  await step("unknown route is a 404 JSON", async () => {
    const res = await send("/nope");
    assert.equal(res.status, 404);
    await json(res);
  });
  return ran;
}
