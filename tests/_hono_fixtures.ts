// Shared by the tests/hono_*_test.ts files: the docs' credentials, content types and a JSON body reader.
import assert from "node:assert/strict";

export const KEY = "278d425bdf160c739803";
export const SECRET = "7ad3773142a6692b25b8";
export const MASTER_KEY = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
export const FORM = { "content-type": "application/x-www-form-urlencoded" };
export const JSON_CT = { "content-type": "application/json" };

/** Reads a JSON answer, failing clearly when it is not JSON. */
export async function body(res: Response): Promise<Record<string, unknown>> {
  assert.match(res.headers.get("content-type") ?? "", /application\/json/, `status ${res.status}`);
  return await res.json();
}
