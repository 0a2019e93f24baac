/**
 * A runtime-agnostic runner for the pusher-vectors/v1 files.
 *
 * It takes documents that are already loaded (so it needs no file system) and an implementation object,
 * and returns one result per test. It uses no Deno or Node APIs, so it runs on Node, Bun and workerd from a
 * bundle. Suites the implementation does not provide are reported as skipped.
 *
 * @example
 * ```ts
 * import { documents, type Impl, runVectors } from "@pusher-edge/pusher-edge/vectors";
 * const impl: Impl = { policy: {} }; // implements no suite yet
 * const results = await runVectors(documents, impl, { strict: true });
 * const failed = results.filter((r) => r.status === "fail");
 * if (failed.length !== 0 || results.every((r) => r.status !== "skip")) throw new Error("expected only skips");
 * ```
 *
 * @module
 */

/**
 * What an implementation returns for one test: the computed fields, or the error code and stage it failed with.
 *
 * @example
 * ```ts
 * import type { Outcome } from "@pusher-edge/pusher-edge/vectors";
 * const accepted: Outcome = { ok: true, value: { auth: "key:signature" } };
 * const rejected: Outcome = { ok: false, code: "ERR_INVALID_SOCKET_ID", stage: "input" };
 * const outcomes: Outcome[] = [accepted, rejected];
 * if (outcomes.filter((o) => o.ok).length !== 1) throw new Error("unreachable");
 * ```
 */
export type Outcome =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; code: string; stage: string };

/**
 * A test group as stored in a vector file (group parameters such as `credentials`, plus tests).
 *
 * @example
 * ```ts
 * import { documents, type Group } from "@pusher-edge/pusher-edge/vectors";
 * const group: Group = documents[0].testGroups[0];
 * if (group.type !== documents[0].suite) throw new Error("a group's type is its file's suite");
 * ```
 */
export interface Group {
  /** The suite this group belongs to (equals the file's `suite`). */
  type: string;
  /**
   * Where the tests come from (a document, an RFC, the generator, an SDK's test suite). SDK sources also name the
   * `repository`, `path`, `commit` (when known) and `tests` that publish the values.
   */
  source: {
    name: string;
    version: string;
    url?: string;
    repository?: string;
    path?: string;
    commit?: string;
    tests?: string[];
  };
  /** The tests, each run with this group's parameters. */
  tests: VectorTest[];
  /** Group parameters: `credentials`, `extraCredentials`, `encryptionMasterKeyB64`, `clock`, `tagSize`… */
  [param: string]: unknown;
}

/**
 * One test as stored in a vector file.
 *
 * @example
 * ```ts
 * import type { VectorTest } from "@pusher-edge/pusher-edge/vectors";
 * const tc: VectorTest = {
 *   tcId: 4, comment: "socket_id smuggles a channel name", flags: ["DelimiterInjection"], result: "invalid",
 *   input: { socket_id: "1234.1234:private-admin", channel_name: "private-foobar" },
 *   error: { code: "ERR_INVALID_SOCKET_ID", stage: "input" },
 * };
 * ```
 */
export interface VectorTest {
  /** Unique within its file and never reused, so `file#tcId` skip lists stay valid. */
  tcId: number;
  /** What the test is about. */
  comment: string;
  /** Flags defined in the file's `notes`; `acceptable` tests are decided by the implementation's policy for them. */
  flags: string[];
  /** `valid` must be accepted, `invalid` rejected, `acceptable` follows the declared policy. */
  result: "valid" | "invalid" | "acceptable";
  /** The suite-specific input. */
  input: Record<string, unknown>;
  /** For `valid` tests: the fields the outcome must contain. */
  expected?: Record<string, unknown>;
  /** For `invalid` tests: the error code and stage to reject with (`message`: production's text, informative). */
  error?: { code: string; stage: string; message?: string };
}

/**
 * A whole vector file.
 *
 * @example
 * ```ts
 * import { documents, type VectorDocument } from "@pusher-edge/pusher-edge/vectors";
 * const doc: VectorDocument | undefined = documents.find((d) => d.suite === "channel-auth");
 * if (doc?.schema !== "pusher-vectors/v1") throw new Error("unexpected schema");
 * ```
 */
export interface VectorDocument {
  /** Always `pusher-vectors/v1` for these files. */
  schema: string;
  /** The suite, e.g. `rest-sign`; the key of the `Impl` function that runs it. */
  suite: string;
  /** The groups of tests. */
  testGroups: Group[];
  /** The rest of the envelope: `schemaVersion`, `generator`, `header`, `notes`, `numberOfTests`. */
  [field: string]: unknown;
}

/**
 * The implementation under test: a declared policy (flag -> `"accept"`/`"reject"`, for the `acceptable` tests) plus
 * one function per supported suite, keyed by the suite name.
 *
 * @example
 * ```ts
 * import type { Group, Impl, Outcome } from "@pusher-edge/pusher-edge/vectors";
 * const impl: Impl = {
 *   policy: { UppercaseHex: "accept" },
 *   "channel-auth": (_group: Group, input: Record<string, unknown>): Promise<Outcome> =>
 *     Promise.resolve({ ok: false, code: "ERR_NOT_IMPLEMENTED", stage: String(input.channel_name ?? "input") }),
 * };
 * ```
 */
export type Impl = {
  policy: Record<string, "accept" | "reject">;
} & { [suite: string]: ((group: Group, input: Record<string, unknown>) => Promise<Outcome>) | unknown };

/**
 * The verdict for one test.
 *
 * @example
 * ```ts
 * import type { TestResult } from "@pusher-edge/pusher-edge/vectors";
 * const r: TestResult = { suite: "hmac", tcId: 1, comment: "RFC 4231 case 1", result: "valid", status: "pass" };
 * const line = `${r.suite} #${r.tcId} ${r.status}`;
 * ```
 */
export interface TestResult {
  /** The suite of the test. */
  suite: string;
  /** The test id within its file. */
  tcId: number;
  /** The test's comment. */
  comment: string;
  /** What the vector demands. */
  result: VectorTest["result"];
  /** The verdict; `skip` when the implementation lacks the suite. */
  status: "pass" | "fail" | "skip";
  /** Why it failed or was skipped. */
  reason?: string;
  /** Set in lenient mode when the error code differs but the stage matches. */
  warning?: string;
}

/**
 * Runner options.
 *
 * @example
 * ```ts
 * import type { RunOptions } from "@pusher-edge/pusher-edge/vectors";
 * const lenient: RunOptions = { strict: false }; // only the error stage must match
 * ```
 */
export interface RunOptions {
  /** Require `error.code` to match (default true); lenient mode only requires the stage. */
  strict?: boolean;
}

// Fields that are informative: compared as decoded multisets of query pairs, not as exact strings.
const INFORMATIVE = new Set(["signed_query", "url"]);

function decodedPairs(query: string): string[] {
  const q = query.includes("?") ? query.slice(query.indexOf("?") + 1) : query;
  return q.split("&").filter((p) => p !== "").map((p) => {
    const i = p.indexOf("=");
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replaceAll("+", " "));
      } catch {
        return s;
      }
    };
    return i < 0 ? `${dec(p)}=` : `${dec(p.slice(0, i))}=${dec(p.slice(i + 1))}`;
  }).sort();
}

/**
 * Deep equality on JSON values; an own property whose value is undefined counts as absent.
 *
 * @example
 * ```ts
 * import { jsonEqual } from "@pusher-edge/pusher-edge/vectors";
 * if (!jsonEqual({ a: [1, 2], b: undefined }, { a: [1, 2] })) throw new Error("should be equal");
 * ```
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined).sort();
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined).sort();
  return ka.length === kb.length &&
    ka.every((k, i) => k === kb[i] && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Returns why `value` does not match `expected`, or undefined when every listed field matches. */
function compare(expected: Record<string, unknown>, value: Record<string, unknown>): string | undefined {
  for (const [field, want] of Object.entries(expected)) {
    const got = value[field];
    if (INFORMATIVE.has(field) && typeof want === "string" && typeof got === "string") {
      if (!jsonEqual(decodedPairs(want), decodedPairs(got))) return `${field}: ${got} != ${want}`;
    } else if (!jsonEqual(got, want)) {
      return `${field}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    }
  }
  return undefined;
}

/** The outcome the implementation's own policy demands for an acceptable test, if it declares one. */
function policyFor(impl: Impl, flags: string[]): "accept" | "reject" | undefined {
  const choices = flags.map((f) => impl.policy[f]).filter((c) => c !== undefined);
  if (choices.length === 0) return undefined;
  return choices.includes("reject") ? "reject" : "accept";
}

async function runOne(impl: Impl, group: Group, tc: VectorTest, strict: boolean): Promise<Omit<TestResult, "suite">> {
  const base = { tcId: tc.tcId, comment: tc.comment, result: tc.result };
  const fn = impl[group.type] as (g: Group, i: Record<string, unknown>) => Promise<Outcome>;
  let out: Outcome;
  try {
    out = await fn(group, tc.input);
  } catch (e) {
    return { ...base, status: "fail", reason: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
  const mustAccept = (): Omit<TestResult, "suite"> => {
    if (!out.ok) return { ...base, status: "fail", reason: `rejected with ${out.code} (${out.stage})` };
    const why = tc.expected ? compare(tc.expected, out.value) : undefined;
    return why ? { ...base, status: "fail", reason: why } : { ...base, status: "pass" };
  };
  if (tc.result === "valid") return mustAccept();
  if (tc.result === "invalid") {
    if (out.ok) return { ...base, status: "fail", reason: `accepted; expected ${tc.error?.code}` };
    const want = tc.error!;
    if (out.stage !== want.stage) {
      return {
        ...base,
        status: "fail",
        reason: `stage ${out.stage} (${out.code}), expected ${want.stage} (${want.code})`,
      };
    }
    if (out.code !== want.code) {
      const msg = `code ${out.code}, expected ${want.code}`;
      return strict ? { ...base, status: "fail", reason: msg } : { ...base, status: "pass", warning: msg };
    }
    return { ...base, status: "pass" };
  }
  const policy = policyFor(impl, tc.flags);
  if (policy === undefined) {
    return { ...base, status: "fail", reason: `no policy declared for any of ${tc.flags.join(", ")}` };
  }
  if (policy === "accept") return mustAccept();
  return out.ok
    ? { ...base, status: "fail", reason: `accepted, but the declared policy rejects ${tc.flags.join(", ")}` }
    : { ...base, status: "pass" };
}

/**
 * Runs every test of every document against `impl`, in file order; suites `impl` lacks are skipped.
 *
 * @example
 * ```ts
 * import { documents, runVectors } from "@pusher-edge/pusher-edge/vectors";
 * const results = await runVectors(documents, { policy: {} }, { strict: false });
 * if (results.length === 0 || results.some((r) => r.status !== "skip")) throw new Error("expected only skips");
 * ```
 */
export async function runVectors(
  docs: readonly VectorDocument[],
  impl: Impl,
  options: RunOptions = {},
): Promise<TestResult[]> {
  const strict = options.strict ?? true;
  const results: TestResult[] = [];
  for (const doc of docs) {
    if (doc.schema !== "pusher-vectors/v1") throw new Error(`unsupported vector schema ${doc.schema}`);
    for (const group of doc.testGroups) {
      const supported = typeof impl[group.type] === "function";
      for (const tc of group.tests) {
        if (!supported) {
          results.push({
            suite: doc.suite,
            tcId: tc.tcId,
            comment: tc.comment,
            result: tc.result,
            status: "skip",
            reason: `suite ${group.type} not implemented`,
          });
          continue;
        }
        results.push({ suite: doc.suite, ...(await runOne(impl, group, tc, strict)) });
      }
    }
  }
  return results;
}
