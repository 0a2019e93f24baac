// Web Crypto has no MD5 outside workerd, so body_md5 comes from @noble/hashes (audited, 2 KB gzip).
import { md5 } from "@noble/hashes/legacy.js";
import { hexEncode, utf8Encode } from "./_bytes.ts";

export function md5Hex(data: string | Uint8Array): string {
  return hexEncode(md5(typeof data === "string" ? utf8Encode(data) : data));
}
