/**
 * The shape of a WebSocket conformance scenario (one of `pusher-websocket-protocol.md` §13) and shared checks.
 *
 * @module
 */
import { type Closed, decoded, type Frame, type Sock } from "./_ws_client.ts";
import { describe, type Env, type RestAnswer, type SubOutcome } from "./_ws_env.ts";

/** One §13 scenario as data plus the function that runs it. */
export interface Scenario {
  /** Its number in §13. */
  id: number;
  /** A short title. */
  title: string;
  /** The reference section that settles it, e.g. `§6.3`. */
  ref: string;
  /**
   * Whether the documentation settles the behaviour checked: only these decide the exit code. A scenario whose
   * expected behaviour the reference calls unknown or optional ("strict mode only") is reported but not counted.
   */
  settled: boolean;
  /** Runs only with `--slow` (it waits out a server timer). */
  slow?: boolean;
  /** Bound for the whole scenario (default 20 s). */
  timeoutMs?: number;
  /** Runs it: resolves to a note on success, throws Fail / Differs / Skip otherwise (see Env). */
  run(env: Env): Promise<string | void>;
}

/** `pusher:error` data, whether the server sent an object (as Pusher does) or a string. */
export function errorData(f: Frame | undefined): { code?: unknown; message?: unknown } {
  const d = decoded(f);
  return typeof d === "object" && d !== null ? d as { code?: unknown; message?: unknown } : {};
}

/**
 * The common tail of every refused-subscription scenario (§6.3): no succeeded frame, the socket stays open, and a
 * REST event to the channel is not delivered. Real Pusher answers `pusher:error`; a `pusher:subscription_error`
 * is soketi's documented deviation.
 */
export async function expectRefused(env: Env, sock: Sock, channel: string, out: SubOutcome, what: string) {
  if (out.kind === "succeeded") return env.fail(`${what} was accepted: ${describe(out)}`);
  if (out.kind === "closed") return env.fail(`${what}: the socket was closed (${describe(out)}); it must stay open`);
  if (out.kind === "none") return env.fail(`${what}: no answer within ${env.t.waitMs} ms; Pusher sends pusher:error`);
  const from = sock.frames.length;
  await env.trigger([channel], "after-refusal", '{"n":1}');
  const leaked = await sock.wait((f) => f.event === "after-refusal", env.t.quietMs, from);
  env.check(!leaked, `${what}: refused, but a later REST event to ${channel} was delivered`);
  env.check(!sock.closed, `${what}: the socket closed after the refusal (${sock.closed?.code})`);
  if (out.kind === "subscription_error") {
    env.differs(`${what}: pusher:subscription_error ${JSON.stringify(out.frame?.data)} instead of pusher:error`);
  }
  const d = errorData(out.frame);
  return `pusher:error ${JSON.stringify(d.code)} ${String(d.message ?? "").slice(0, 80)}`;
}

/**
 * A REST call that must be refused with 400. soketi puts the code in a 200 body (a documented deviation), so a 2xx
 * whose JSON body carries `code: 400` or an `error` is recorded as a deviation, and so is any 2xx when `known` names
 * a deviation the reference documents for this request; any other answer fails.
 */
export function expect400(env: Env, r: RestAnswer, what: string, known?: string): void {
  if (r.status === 400) return;
  if (known && r.status >= 200 && r.status < 300) {
    env.deviate(`${what}: ${r.status} ${r.text.slice(0, 80)} (${known})`);
    return;
  }
  const body = r.json as { code?: unknown; error?: unknown } | undefined;
  if (r.status === 200 && body && (body.code === 400 || body.error !== undefined)) {
    env.deviate(`${what}: HTTP 200 with error body ${r.text.slice(0, 80)} (soketi's documented 200-with-error)`);
    return;
  }
  env.fail(`${what}: expected 400, got ${r.status} ${r.text.slice(0, 120)}`);
}

/** `close CODE reason` for notes. */
export function closeText(c: Closed | undefined): string {
  return c ? `close ${c.code}${c.reason ? ` "${c.reason}"` : ""}` : "no close";
}

/** Runs `fn` over `items` with at most `limit` in flight (for the scenarios that open ~100 sockets). */
export async function inBatches<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...await Promise.all(items.slice(i, i + limit).map(fn)));
  return out;
}
