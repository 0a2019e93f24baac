/**
 * `sign` (every intermediate of a signed REST request) and `verify` (checks a signed URL like a server does, and
 * says which part is wrong).
 *
 * @module
 */
import { PusherError } from "../errors.ts";
import { signRequest } from "../sign_request.ts";
import { RequestVerificationError, verifyRequest } from "../verify_request.ts";
import { positionals } from "./_args.ts";
import { diagnose, iso } from "./_diagnose.ts";
import { type Command, type Context, CREDENTIAL_HELP, usageLine } from "./_command.ts";
import { EXIT, printJson, readValue, table, UsageError } from "./_io.ts";

async function bodyFlag(ctx: Context): Promise<string | null> {
  const raw = ctx.flag("body");
  return raw === undefined ? null : await readValue(ctx.io, raw, "the body");
}

function intFlag(ctx: Context, name: string): number | undefined {
  const v = ctx.flag(name);
  if (v === undefined) return undefined;
  if (!/^-?[0-9]{1,15}$/.test(v)) throw new UsageError(`--${name} must be an integer`);
  return Number(v);
}

const sign: Command = {
  name: "sign",
  summary: "sign a REST request and print the canonical query, string to sign and signature",
  help: `Usage: pusher-edge sign <METHOD> <path> [--param k=v…] [--body BODY|@file|-] [--timestamp T]
Prints body_md5, the canonical query, the exact string to sign, the signature and the query string to send.
<path> is the full path the server sees, e.g. /apps/1/events.
  --param k=v          a query param (repeatable; keys must be lower-case [a-z0-9_])
  --body BODY          the exact request body (@file or - for stdin)
  --timestamp T        auth_timestamp in Unix seconds (default: now)
${CREDENTIAL_HELP}`,
  flags: { strings: ["body", "timestamp"], multi: ["param"] },
  async run(ctx) {
    const [method, path] = positionals(ctx.parsed, ["METHOD", "path"], usageLine(this));
    const params: [string, string][] = (ctx.parsed.multi.get("param") ?? []).map((p) => {
      const eq = p.indexOf("=");
      if (eq <= 0) throw new UsageError(`--param ${JSON.stringify(p)} must look like key=value`);
      return [p.slice(0, eq), p.slice(eq + 1)];
    });
    const body = await bodyFlag(ctx);
    const timestamp = intFlag(ctx, "timestamp") ?? Math.floor(ctx.io.now() / 1000);
    const signed = await signRequest({ ...ctx.keySecret(), method, path, params, body, timestamp });
    const out = {
      method: method.toUpperCase(),
      path,
      timestamp,
      bodyMd5: signed.bodyMd5,
      canonicalQuery: signed.canonicalQuery,
      stringToSign: signed.stringToSign,
      signature: signed.signature,
      query: signed.query,
    };
    if (ctx.json) printJson(ctx.io, { ok: true, ...out });
    else {
      ctx.out(table([
        ["body_md5", signed.bodyMd5 ?? "(none: empty body)"],
        ["canonical query", signed.canonicalQuery],
        ["string to sign", JSON.stringify(signed.stringToSign)],
        ["signature", signed.signature],
        ["query", signed.query],
      ]));
    }
    return EXIT.OK;
  },
};

const verify: Command = {
  name: "verify",
  summary: "verify a signed request URL like a server does, and say which part is wrong",
  help: `Usage: pusher-edge verify <url> [--body BODY|@file|-] [--method METHOD] [--now T] [--tolerance S]
Checks a signed REST request URL (or path?query) against the key and secret, as the API does: auth params,
auth_version, key, the ±600 s timestamp window, body_md5 and the signature. On failure it names the part that is
wrong and prints the string that should have been signed. Exit 0 valid, 1 invalid.
  --body BODY          the exact body sent (@file or -)
  --method METHOD      default POST with --body, GET without
  --now T              the server's clock in Unix seconds (default: now)
  --tolerance S        the timestamp window (default 600)
${CREDENTIAL_HELP}`,
  flags: { strings: ["body", "method", "now", "tolerance"] },
  async run(ctx) {
    const [input] = positionals(ctx.parsed, ["url"], usageLine(this));
    let url: URL;
    try {
      url = new URL(input, "http://localhost");
    } catch {
      throw new UsageError(`${JSON.stringify(input)} is not a URL or path`);
    }
    const body = await bodyFlag(ctx);
    const method = ctx.flag("method") ?? (body === null ? "GET" : "POST");
    const now = intFlag(ctx, "now") ?? Math.floor(ctx.io.now() / 1000);
    const tolerance = intFlag(ctx, "tolerance") ?? 600;
    const query = url.search.replace(/^\?/, "");
    const creds = ctx.keySecret();
    const req = { method, path: url.pathname, query, body, now, tolerance };
    try {
      const v = await verifyRequest({ credentials: creds, ...req, toleranceSeconds: tolerance });
      const skew = v.timestamp - now;
      if (ctx.json) {
        printJson(ctx.io, { ok: true, valid: true, key: v.key, timestamp: v.timestamp, skew, params: v.params });
      } else {
        ctx.out(
          `valid: signed by key ${v.key} at ${v.timestamp} (${iso(v.timestamp)}, ${Math.abs(skew)} s ${
            skew <= 0 ? "ago" : "ahead"
          }; window ±${tolerance} s)\n`,
        );
        for (const [k, val] of Object.entries(v.params)) ctx.out(`  ${k}=${val}\n`);
      }
      return EXIT.OK;
    } catch (err) {
      if (!(err instanceof RequestVerificationError)) {
        if (err instanceof PusherError) throw new UsageError(err.message);
        throw err;
      }
      const d = await diagnose(err, req, creds);
      if (ctx.json) {
        printJson(ctx.io, {
          ok: false,
          valid: false,
          code: err.code,
          message: err.message,
          part: d.part,
          explanation: d.explanation,
          ...(d.stringToSign !== undefined ? { stringToSign: d.stringToSign } : {}),
        });
      } else {
        ctx.out(`invalid: ${err.code}, wrong part: ${d.part}\n${d.explanation.map((l) => `  ${l}\n`).join("")}`);
        if (d.stringToSign !== undefined) {
          ctx.out(`string to sign, line by line:\n${d.stringToSign.split("\n").map((l) => `  | ${l}\n`).join("")}`);
        }
      }
      return EXIT.CHECK_FAILED;
    }
  },
};

/** `sign` and `verify`. */
export const SIGNING_COMMANDS: readonly Command[] = [sign, verify];
