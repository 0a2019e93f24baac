/**
 * The conformance vectors for other Pusher Channels implementations (`@pusher-edge/pusher-edge/vectors`): the
 * runtime-agnostic runner, the types an implementation adapter is written against, and the v1 vector files as
 * loaded documents.
 *
 * What it pulls in: `run.ts` (no Deno or Node APIs, no library code) and the JSON files. Not pusher-edge itself and no
 * cipher code; pusher-edge's own adapter (`vectors/impl.ts`, which needs `./encryption`) is deliberately not exported
 * here. The raw files (`v1/*.json`, `manifest.json`, `schema.json`, `policy.json`, `README.md`) ship next to this
 * module, for implementations in other languages.
 *
 * @example Run one suite against your own implementation
 * ```ts
 * import { documents, type Group, type Impl, type Outcome, runVectors } from "@pusher-edge/pusher-edge/vectors";
 *
 * // An adapter only for RFC 4231 HMAC-SHA-256 ("layer 0"), on Web Crypto; other suites are reported as skipped.
 * const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
 * const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
 * const impl: Impl = {
 *   policy: {},
 *   async hmac(group: Group, input: Record<string, unknown>): Promise<Outcome> {
 *     const key = await crypto.subtle.importKey("raw", fromHex(input.key as string), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
 *     const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, fromHex(input.msg as string)));
 *     const tag = toHex(mac.subarray(0, (group.tagSize as number) / 8));
 *     if (typeof input.tag === "string" && input.tag !== tag) return { ok: false, code: "ERR_SIGNATURE_MISMATCH", stage: "auth" };
 *     return { ok: true, value: { tag } };
 *   },
 * };
 * const results = await runVectors(documents.filter((d) => d.suite === "hmac"), impl);
 * if (results.some((r) => r.status !== "pass")) throw new Error("HMAC vectors failed");
 * ```
 *
 * @module
 */
export { jsonEqual, runVectors } from "./run.ts";
export type { Group, Impl, Outcome, RunOptions, TestResult, VectorDocument, VectorTest } from "./run.ts";
export { documents, manifest, type ManifestFile, policy, type VectorManifest } from "./data.ts";
