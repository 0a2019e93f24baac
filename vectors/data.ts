/**
 * The pusher-vectors/v1 files as loaded documents, for runtimes and bundles without a file system.
 *
 * Static JSON imports (`with { type: "json" }`) because they work unchanged in Deno, on JSR, in Node >= 20.10 and in
 * bundlers, and a bundler drops the ones a program does not use. The list follows `manifest.json`; the example below
 * checks that it still does.
 *
 * @module
 */
import channelAuth from "./v1/channel_auth.json" with { type: "json" };
import encryptedPayload from "./v1/encrypted_payload.json" with { type: "json" };
import hmac from "./v1/hmac_rfc4231.json" with { type: "json" };
import restRequest from "./v1/rest_request.json" with { type: "json" };
import restSign from "./v1/rest_sign.json" with { type: "json" };
import restVerify from "./v1/rest_verify.json" with { type: "json" };
import userAuth from "./v1/user_auth.json" with { type: "json" };
import webhookVerify from "./v1/webhook_verify.json" with { type: "json" };
import manifestJson from "./manifest.json" with { type: "json" };
import policyJson from "./policy.json" with { type: "json" };
import type { VectorDocument } from "./run.ts";

/** One entry of `manifest.json`: a vector file, its suite, test count and the sha256 of its bytes (for pinning). */
export interface ManifestFile {
  /** Relative to the vectors directory, e.g. `v1/rest_sign.json`. */
  path: string;
  /** The suite of the file, e.g. `channel-auth`. */
  suite: string;
  /** How many tests the file holds. */
  numberOfTests: number;
  /** Hex SHA-256 of the file as shipped. */
  sha256: string;
  /** Tests per expected result. */
  counts: { valid: number; invalid: number; acceptable: number };
}

/** `manifest.json`: every vector file of this release. */
export interface VectorManifest {
  /** Semver `1.x.y` of the vector set. */
  schemaVersion: string;
  /** The generator that wrote the files. */
  generator: { name: string; version: string };
  /** Every vector file. */
  files: ManifestFile[];
}

/**
 * `manifest.json`, the list of vector files with their sha256 and test counts.
 *
 * @example
 * ```ts
 * import { manifest } from "@pusher-edge/pusher-edge/vectors";
 * const total = manifest.files.reduce((n, f) => n + f.numberOfTests, 0);
 * if (!manifest.schemaVersion.startsWith("1.") || total === 0) throw new Error("unexpected manifest");
 * ```
 */
export const manifest: VectorManifest = manifestJson;

/**
 * pusher-edge's own answers for the `acceptable` tests (`policy.json`): flag name -> `"accept"` or `"reject"`.
 * Another implementation declares its own table in its `Impl`.
 *
 * @example
 * ```ts
 * import { policy } from "@pusher-edge/pusher-edge/vectors";
 * if (policy.UppercaseHex !== "accept") throw new Error("pusher-edge accepts upper-case hex signatures");
 * ```
 */
export const policy: Readonly<Record<string, "accept" | "reject">> = policyJson as Record<string, "accept" | "reject">;

/**
 * Every v1 vector file, in `manifest.json` order.
 *
 * @example Pick a suite
 * ```ts
 * import { documents, manifest } from "@pusher-edge/pusher-edge/vectors";
 * const restSign = documents.find((d) => d.suite === "rest-sign");
 * if (!restSign || restSign.schema !== "pusher-vectors/v1") throw new Error("rest-sign missing");
 * // the list follows the manifest
 * if (documents.map((d) => d.suite).join() !== manifest.files.map((f) => f.suite).join()) throw new Error("order");
 * ```
 */
export const documents: readonly VectorDocument[] = [
  channelAuth,
  encryptedPayload,
  hmac,
  restRequest,
  restSign,
  restVerify,
  userAuth,
  webhookVerify,
] as unknown as VectorDocument[];
