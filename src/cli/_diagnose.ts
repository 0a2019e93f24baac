/**
 * Why a signed request failed verification: which part is wrong, and for a signature mismatch, which common
 * mistake (method, path prefix, encoding, key case, order, body_md5) reproduces the signature that was sent.
 *
 * @module
 */
import { utf8Encode } from "../_bytes.ts";
import { signerFor } from "../_hmac.ts";
import { md5Hex } from "../_md5.ts";
import type { RequestVerificationError } from "../verify_request.ts";
type Pair = [string, string];

function rawPairs(query: string): Pair[] {
  return query.split("&").filter((p) => p !== "").map((p) => {
    const eq = p.indexOf("=");
    return eq < 0 ? [p, ""] : [p.slice(0, eq), p.slice(eq + 1)];
  });
}

function decode(s: string, plus = true): string {
  try {
    return decodeURIComponent(plus ? s.replaceAll("+", " ") : s);
  } catch {
    return s;
  }
}

const joinSorted = (pairs: Pair[]) =>
  [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join("&");

/** Re-signs variants of the request to find what the client actually signed. */
async function diagnoseSignature(
  secret: string,
  method: string,
  path: string,
  query: string,
  sent: string,
): Promise<string | undefined> {
  const signer = signerFor(secret);
  const raw = rawPairs(query).filter(([k]) => decode(k).toLowerCase() !== "auth_signature");
  const decoded: Pair[] = raw.map(([k, v]) => [decode(k).toLowerCase(), decode(v)]);
  const canonical = joinSorted(decoded);
  const m = method.toUpperCase();
  const apps = path.indexOf("/apps/");
  const hypotheses: [string, string][] = [
    ...["GET", "POST"].filter((x) => x !== m).map((x): [string, string] => [
      `${x}\n${path}\n${canonical}`,
      `it was signed for method ${x}, but the request is ${m}`,
    ]),
    [`${method}\n${path}\n${canonical}`, `the method was signed in lower case (${method}); sign it upper-cased`],
    [`${m}\n${path}\n${joinSorted(raw)}`, "the values were signed percent-encoded; sign the decoded values"],
    [
      `${m}\n${path}\n${joinSorted(raw.map(([k, v]) => [decode(k), decode(v)]))}`,
      "the keys were signed without lower-casing",
    ],
    [
      `${m}\n${path}\n${joinSorted(raw.map(([k, v]) => [decode(k).toLowerCase(), decode(v, false)]))}`,
      "'+' was signed as '+', but the server decodes it as a space; send %2B for a plus sign",
    ],
    [`${m}\n${path}\n${decoded.map(([k, v]) => `${k}=${v}`).join("&")}`, "the params were signed unsorted"],
    [
      `${m}\n${path}\n${joinSorted(decoded.filter(([k]) => k !== "body_md5"))}`,
      "body_md5 was left out of the signed string",
    ],
    [`${m}\n${path.replace(/\/+$/, "")}\n${canonical}`, "the path was signed without its trailing slash"],
    [`${m}\n${path}/\n${canonical}`, "the path was signed with a trailing slash"],
    [`${m}\n${decode(path, false)}\n${canonical}`, "the path was signed percent-decoded"],
  ];
  if (apps > 0) {
    hypotheses.push([
      `${m}\n${path.slice(apps)}\n${canonical}`,
      `the path was signed without its prefix ${path.slice(0, apps)}; the signed path must be the full path`,
    ]);
  }
  for (const [candidate, why] of hypotheses) {
    if (candidate === `${m}\n${path}\n${canonical}`) continue;
    if ((await signer.signHex(candidate)) === sent.toLowerCase()) {
      return `${why} (the signature matches ${JSON.stringify(candidate)})`;
    }
  }
  return undefined;
}

export function iso(s: number): string {
  return new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface Diagnosis {
  part: string;
  explanation: string[];
  stringToSign?: string;
}

export async function diagnose(
  err: RequestVerificationError,
  req: { method: string; path: string; query: string; body: string | null; now: number; tolerance: number },
  creds: { key: string; secret: string },
): Promise<Diagnosis> {
  const params = new Map(rawPairs(req.query).map(([k, v]) => [decode(k).toLowerCase(), decode(v)]));
  switch (err.code) {
    case "ERR_MISSING_AUTH_PARAM": {
      const name = /Missing parameter: (\w+)/.exec(err.message)?.[1] ?? "an auth parameter";
      const extra = name === "body_md5"
        ? ["a request with a body must carry body_md5 = lower-case hex MD5 of the body bytes"]
        : [`a signed request carries auth_key, auth_timestamp, auth_version=1.0 and auth_signature`];
      return { part: name, explanation: [`${name} is missing or empty`, ...extra] };
    }
    case "ERR_UNSUPPORTED_AUTH_VERSION":
      return {
        part: "auth_version",
        explanation: [`auth_version is ${JSON.stringify(params.get("auth_version"))}; it must be 1.0`],
      };
    case "ERR_UNKNOWN_KEY":
      return {
        part: "auth_key",
        explanation: [
          `auth_key ${JSON.stringify(params.get("auth_key"))} is not the configured key ${JSON.stringify(creds.key)}`,
        ],
      };
    case "ERR_TIMESTAMP_OUT_OF_WINDOW": {
      const ts = Number(params.get("auth_timestamp"));
      if (!Number.isFinite(ts) || !/^[0-9]+$/.test(params.get("auth_timestamp") ?? "")) {
        return {
          part: "auth_timestamp",
          explanation: [`auth_timestamp ${JSON.stringify(params.get("auth_timestamp"))} is not Unix seconds`],
        };
      }
      const skew = ts - req.now;
      return {
        part: "auth_timestamp",
        explanation: [
          `auth_timestamp ${ts} (${iso(ts)}) is ${Math.abs(skew)} s ${skew < 0 ? "in the past" : "in the future"} ` +
          `of now ${req.now} (${iso(req.now)})`,
          `accepted window: |now - auth_timestamp| < ${req.tolerance} s (${
            req.tolerance - 1
          } passes, ${req.tolerance} fails)`,
          ...(ts > 100_000_000_000 ? ["it looks like milliseconds: auth_timestamp must be in seconds"] : []),
        ],
      };
    }
    case "ERR_BODY_MD5_MISMATCH": {
      const bytes = req.body === null ? 0 : utf8Encode(req.body).length;
      return {
        part: "body_md5",
        explanation: [
          `body_md5 sent: ${params.get("body_md5")}`,
          `MD5 of the ${bytes}-byte body given: ${md5Hex(req.body ?? "")}`,
          req.body === null
            ? "no --body was given: pass the exact body bytes with --body @file"
            : "the body_md5 must be the MD5 of the exact bytes sent (same JSON spacing, key order and escaping)",
        ],
      };
    }
    case "ERR_SIGNATURE_MALFORMED": {
      const sig = params.get("auth_signature") ?? "";
      return {
        part: "auth_signature",
        explanation: [
          `auth_signature has ${sig.length} characters${
            /[^0-9a-fA-F]/.test(sig) ? " and non-hex digits" : ""
          }; it must be 64 hex digits`,
        ],
      };
    }
    case "ERR_SIGNATURE_MISMATCH": {
      const found = await diagnoseSignature(creds.secret, req.method, req.path, req.query, err.sentSignature ?? "");
      return {
        part: "auth_signature",
        stringToSign: err.stringToSign,
        explanation: [
          `the signature does not match HMAC-SHA256(secret, string to sign)`,
          `string that should have been signed: ${JSON.stringify(err.stringToSign)}`,
          `signature sent: ${err.sentSignature}`,
          found ?? "no single difference explains it: most likely another secret was used, or the signed string " +
              "differs from the one above (compare them line by line)",
        ],
      };
    }
    case "ERR_DUPLICATE_PARAM":
      return {
        part: /: (.*)$/.exec(err.message)?.[1] ?? "a parameter",
        explanation: ["a query parameter appears twice (keys are compared lower-cased)"],
      };
    default:
      return { part: "query", explanation: [err.message] };
  }
}
