/**
 * Shared helpers for the vector generators. Nothing here may come from src/: the expected values are
 * computed with node:crypto and cross-checked with the official `pusher` package.
 *
 * @module
 */
import Pusher from "pusher";
import { createHash, createHmac } from "node:crypto";
import { FLAGS } from "./_flags.ts";

export const SCHEMA = "pusher-vectors/v1";
export const SCHEMA_VERSION = "1.1.0";
export const GENERATOR = { name: "pusher-edge-gen-vectors", version: "1.1.0" } as const;

export type Suite =
  | "hmac"
  | "rest-sign"
  | "rest-verify"
  | "channel-auth"
  | "user-auth"
  | "webhook-verify"
  | "rest-request"
  | "encrypted-payload";
export type Result = "valid" | "invalid" | "acceptable";
export type Stage = "input" | "parse" | "auth" | "decrypt";

/** The subset of src/errors.ts `PusherErrorCode` the vectors use (tests check it stays a subset). */
export type ErrorCode =
  | "ERR_INVALID_SOCKET_ID"
  | "ERR_INVALID_CHANNEL_NAME"
  | "ERR_CHANNEL_NAME_TOO_LONG"
  | "ERR_INVALID_CHANNEL_DATA"
  | "ERR_INVALID_USER_DATA"
  | "ERR_INVALID_PARAM"
  | "ERR_RESERVED_PARAM"
  | "ERR_DUPLICATE_PARAM"
  | "ERR_MISSING_AUTH_PARAM"
  | "ERR_UNSUPPORTED_AUTH_VERSION"
  | "ERR_UNKNOWN_KEY"
  | "ERR_TIMESTAMP_OUT_OF_WINDOW"
  | "ERR_BODY_MD5_MISMATCH"
  | "ERR_SIGNATURE_MALFORMED"
  | "ERR_SIGNATURE_MISMATCH"
  | "ERR_WEBHOOK_CONTENT_TYPE"
  | "ERR_WEBHOOK_BODY_INVALID"
  | "ERR_ENCRYPTION_KEY_MISSING"
  | "ERR_ENCRYPTION_KEY_INVALID";

// Mirrors the stage table in src/errors.ts (codes not listed there are "input"); tests compare the two.
const STAGE: Partial<Record<ErrorCode, Stage>> = {
  ERR_MISSING_AUTH_PARAM: "auth",
  ERR_UNSUPPORTED_AUTH_VERSION: "auth",
  ERR_UNKNOWN_KEY: "auth",
  ERR_TIMESTAMP_OUT_OF_WINDOW: "auth",
  ERR_BODY_MD5_MISMATCH: "auth",
  ERR_SIGNATURE_MALFORMED: "auth",
  ERR_SIGNATURE_MISMATCH: "auth",
  ERR_WEBHOOK_CONTENT_TYPE: "auth",
  ERR_WEBHOOK_BODY_INVALID: "parse",
};

export interface ExpectedError {
  code: ErrorCode;
  stage: Stage;
  /** Informative: the production server's text for this failure, where it is published. */
  message?: string;
}
export const err = (code: ErrorCode): ExpectedError => ({ code, stage: STAGE[code] ?? "input" });

export interface Credentials {
  app_id: string;
  key: string;
  secret: string;
}
/**
 * Where a group's tests come from. An SDK source (`pusher-http-*`, `pusher-signature`) names the repository, the file,
 * the commit it was read at (or, when the index recorded none, a version that says so) and the tests the values are
 * asserted in, so every known answer can be checked.
 */
export interface Source {
  name: string;
  version: string;
  url?: string;
  repository?: string;
  path?: string;
  commit?: string;
  tests?: string[];
}
export interface Note {
  bugType: string;
  description: string;
  effect?: string;
}
export interface Test {
  tcId: number;
  comment: string;
  flags: string[];
  result: Result;
  input: Record<string, unknown>;
  expected?: Record<string, unknown>;
  error?: ExpectedError;
}
/** A test before numbering. */
export type TestSpec = Omit<Test, "tcId">;
export interface TestGroup {
  type: Suite;
  comment?: string;
  source: Source;
  [param: string]: unknown;
  tests: Test[];
}
export type GroupSpec = Omit<TestGroup, "tests" | "type"> & { tests: TestSpec[] };
export interface VectorFile {
  schema: string;
  schemaVersion: string;
  suite: Suite;
  generator: { name: string; version: string };
  header: string[];
  notes: Record<string, Note>;
  numberOfTests: number;
  testGroups: TestGroup[];
}

/** Credentials of the docs' worked examples (pusher/docs rest-api.md, auth-signatures.md). */
export const DOCS: Credentials = { app_id: "3", key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };
export const DOCS_TS = 1353088179;
export const DOCS_SOURCE: Source = { name: "pusher-docs", version: "b34294a" };
export const GEN_SOURCE: Source = { name: "generator", version: GENERATOR.version };
/** Behaviour of the official npm package itself (run by the generator), not a value from its test suite. */
export const NODE_SOURCE: Source = {
  name: "pusher-http-node",
  version: "5.3.4",
  repository: "pusher/pusher-http-node",
  path: "lib/pusher.js",
};

/**
 * Every SDK known answer the generator reproduced, by source name: the report in vectors/README.md counts them.
 * `expectKnown` throws when the independently computed value differs from the published one.
 */
export const knownAnswers: { source: string; value: string; where: string }[] = [];
export function expectKnown(source: Source, where: string, published: string, computed: unknown): void {
  if (computed !== published) {
    throw new Error(`${where}: ${source.name} publishes ${published}, the reference computes ${String(computed)}`);
  }
  // Only values from an SDK's test suite (a source naming its tests) count; docs and spec values are just checked.
  if (source.tests && !knownAnswers.some((k) => k.source === source.name && k.value === published)) {
    knownAnswers.push({ source: source.name, value: published, where });
  }
}

const enc = new TextEncoder();
const bytes = (x: string | Uint8Array) => typeof x === "string" ? enc.encode(x) : x;

export const hmacHex = (secret: string | Uint8Array, msg: string | Uint8Array): string =>
  createHmac("sha256", bytes(secret)).update(bytes(msg)).digest("hex");
export const md5Hex = (body: string | Uint8Array): string => createHash("md5").update(bytes(body)).digest("hex");
export const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash("sha256").update(data).digest());
export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const fromHex = (h: string): Uint8Array => new Uint8Array(h.match(/../g)?.map((x) => parseInt(x, 16)) ?? []);
export const b64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b));
export const unb64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
export const utf8 = (s: string): Uint8Array => enc.encode(s);

/** Flips bit `bit` (0 = most significant bit of the first digit) of a hex string, keeping its case. */
export function flipHexBit(hex: string, bit: number): string {
  const i = Math.floor(bit / 4);
  const v = parseInt(hex[i], 16) ^ (8 >> (bit % 4));
  return hex.slice(0, i) + v.toString(16) + hex.slice(i + 1);
}

/** Divergences from the official package that a flag allowed; printed by gen_vectors.ts. */
export const divergences: string[] = [];

/**
 * Compares the node:crypto reference with the official package. A disagreement is allowed only when one of
 * the test's flags documents a pusher-http-node divergence; otherwise the generator refuses to write.
 */
export function crossCheck(what: string, flags: readonly string[], reference: unknown, official: unknown): void {
  const a = JSON.stringify(reference);
  const b = JSON.stringify(official);
  if (a === b) return;
  const allowed = flags.filter((f) => FLAGS[f]?.node);
  if (allowed.length === 0) {
    throw new Error(`${what}: node:crypto reference ${a} != official pusher package ${b}`);
  }
  divergences.push(`${what} [${allowed.join(",")}]: reference ${a}, pusher-http-node ${b}`);
}

/** Runs `fn`, turning a throw into `{ threw: message }` so outcomes can be compared. */
export function attempt<T>(fn: () => T): T | { threw: true } {
  try {
    return fn();
  } catch {
    return { threw: true };
  }
}

/** Numbers the tests in order and builds the envelope; `notes` are exactly the flags used. */
export function makeFile(suite: Suite, header: string[], groups: GroupSpec[]): VectorFile {
  let tcId = 0;
  const used = new Set<string>();
  const testGroups = groups.map(({ tests, ...rest }): TestGroup => ({
    type: suite,
    source: rest.source as Source,
    ...rest,
    tests: tests.map((t) => {
      for (const f of t.flags) {
        if (!FLAGS[f]) throw new Error(`${suite}: unknown flag ${f}`);
        used.add(f);
      }
      const { comment, flags, result, input, expected, error } = t;
      if ((result === "invalid") !== (error !== undefined)) throw new Error(`${suite}: ${comment}: error iff invalid`);
      if (result === "valid" && !expected) throw new Error(`${suite}: ${comment}: valid needs expected`);
      return {
        tcId: ++tcId,
        comment,
        flags,
        result,
        input,
        ...(expected ? { expected } : {}),
        ...(error ? { error } : {}),
      };
    }),
  }));
  const notes: Record<string, Note> = {};
  for (const f of [...used].sort()) {
    const { bugType, description, node } = FLAGS[f];
    notes[f] = { bugType, description, ...(node ? { effect: `pusher-http-node 5.3.4 ${node}.` } : {}) };
  }
  return {
    schema: SCHEMA,
    schemaVersion: SCHEMA_VERSION,
    suite,
    generator: { ...GENERATOR },
    header,
    notes,
    numberOfTests: tcId,
    testGroups,
  };
}

/**
 * The official `pusher` package, typed loosely: its .d.ts demands a host or cluster the generator never uses and does
 * not declare the `Token` class it exports.
 */
export const OfficialPusher = Pusher as unknown as {
  new (options: { appId: string; key: string; secret: string; encryptionMasterKeyBase64?: string }): Pusher;
  Token: new (key: string, secret: string) => { sign(s: string): string; verify(s: string, sig: string): boolean };
};
