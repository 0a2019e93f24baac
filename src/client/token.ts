/**
 * `Token`: the official package's key/secret pair that signs and verifies strings (`Pusher.Token`), async here
 * because it runs on Web Crypto.
 *
 * @module
 */

import { parseMac, signerFor } from "../_hmac.ts";

/**
 * A key and secret that sign strings with HMAC-SHA256 (lower-case hex) and verify them in constant time. It can be
 * passed wherever extra credentials are accepted, e.g. `webhook.isValid(token)`.
 *
 * @example
 * ```ts
 * import { Pusher } from "@pusher-edge/pusher-edge";
 * const token = new Pusher.Token("key", "secret");
 * const signature = await token.sign("POST\n/apps/1/events\nauth_key=key");
 * if (!(await token.verify("POST\n/apps/1/events\nauth_key=key", signature))) throw new Error("unreachable");
 * ```
 */
export class Token {
  /** The app key (public). */
  readonly key: string;
  /** The app secret; hidden from `console.log` and `JSON.stringify`. */
  readonly secret: string;

  /**
   * @param key the app key
   * @param secret the app secret
   */
  constructor(key: string, secret: string) {
    if (typeof key !== "string" || typeof secret !== "string" || secret === "") {
      throw new TypeError("Token needs a key and a non-empty secret, both strings");
    }
    this.key = key;
    this.secret = secret;
  }

  /**
   * Signs a string.
   *
   * @param text the string to sign (UTF-8)
   * @returns hex(HMAC-SHA256(secret, text))
   */
  async sign(text: string): Promise<string> {
    return await signerFor(this.secret).signHex(text);
  }

  /**
   * Checks a signature in constant time; anything that is not 64 hex digits is `false`.
   *
   * @param text the signed string
   * @param signature the hex signature to check
   * @returns whether it is this token's signature of `text`
   */
  async verify(text: string, signature: string): Promise<boolean> {
    const mac = typeof signature === "string" && parseMac(signature);
    return !!mac && await signerFor(this.secret).verify(mac, text);
  }

  /** Leaves the secret out of `JSON.stringify`. */
  toJSON(): { key: string } {
    return { key: this.key };
  }

  /** Hides the secret from `console.log` in Deno. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Token { key: ${JSON.stringify(this.key)} }`;
  }

  /** Hides the secret from `console.log` in Node and Bun. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Token { key: ${JSON.stringify(this.key)} }`;
  }
}
