/**
 * `auth channel`, `auth user` (the bodies pusher-js expects from your auth endpoints) and `webhook verify`.
 *
 * @module
 */
import { authorizeChannel } from "../channel_auth.ts";
import { PusherError } from "../errors.ts";
import { authenticateUser } from "../user_auth.ts";
import { isPresenceChannel } from "../validate.ts";
import { verifyWebhook } from "../webhook.ts";
import { positionals } from "./_args.ts";
import { type Command, CREDENTIAL_HELP, usageLine } from "./_command.ts";
import { EXIT, printJson, readValue, table, UsageError } from "./_io.ts";

const authChannel: Command = {
  name: "auth channel",
  summary: "the channel authorization response for a private, presence or encrypted channel",
  help: `Usage: pusher-edge auth channel <socket-id> <channel> [--user-id ID [--user-info JSON]] [--channel-data JSON]
Prints {auth, channel_data?, shared_secret?}: what your auth endpoint returns to pusher-js.
Presence channels need --user-id (channel_data = {"user_id":ID,"user_info":…}) or --channel-data (signed verbatim).
Encrypted channels (private-encrypted-*) need --encryption-master-key or PUSHER_ENCRYPTION_MASTER_KEY_BASE64.
  --user-id ID         presence: the user id
  --user-info JSON     presence: the user info (JSON)
  --channel-data JSON  presence: the exact channel_data string to sign (instead of --user-id)
  --encryption-master-key B64   base64 of the 32-byte master key
${CREDENTIAL_HELP}`,
  flags: { strings: ["user-id", "user-info", "channel-data"] },
  async run(ctx) {
    const [socketId, channel] = positionals(ctx.parsed, ["socket-id", "channel"], usageLine(this));
    let channelData: string | undefined = ctx.flag("channel-data");
    const userId = ctx.flag("user-id");
    if (userId !== undefined) {
      if (channelData !== undefined) throw new UsageError("give --user-id or --channel-data, not both");
      const info = ctx.flag("user-info");
      let userInfo: unknown;
      if (info !== undefined) {
        try {
          userInfo = JSON.parse(await readValue(ctx.io, info, "user info"));
        } catch (err) {
          if (err instanceof UsageError) throw err;
          throw new UsageError("--user-info must be JSON");
        }
      }
      channelData = JSON.stringify(
        userInfo === undefined ? { user_id: userId } : { user_id: userId, user_info: userInfo },
      );
    } else if (ctx.flag("user-info") !== undefined) throw new UsageError("--user-info needs --user-id");
    if (channelData === undefined && isPresenceChannel(channel)) {
      throw new UsageError("a presence channel needs --user-id (or --channel-data)");
    }
    const t = ctx.target();
    const res = await authorizeChannel({
      ...ctx.keySecret(),
      socketId,
      channel,
      channelData,
      encryptionMasterKey: channel.startsWith("private-encrypted-") ? t.encryptionMasterKeyBase64 : undefined,
    });
    if (ctx.json) printJson(ctx.io, { ok: true, ...res });
    else {
      const rows: [string, string][] = [["auth", res.auth]];
      if (res.channel_data !== undefined) rows.push(["channel_data", res.channel_data]);
      if (res.shared_secret !== undefined) rows.push(["shared_secret", res.shared_secret]);
      ctx.out(table(rows) + JSON.stringify(res) + "\n");
    }
    return EXIT.OK;
  },
};

const authUser: Command = {
  name: "auth user",
  summary: "the user authentication (pusher:signin) response",
  help: `Usage: pusher-edge auth user <socket-id> <user-json|@file|->
Prints {auth, user_data}: what your user authentication endpoint returns to pusher-js. <user-json> is signed
verbatim and needs a non-empty string "id", e.g. '{"id":"42","user_info":{"name":"Ada"}}'.
${CREDENTIAL_HELP}`,
  flags: {},
  async run(ctx) {
    const [socketId, raw] = positionals(ctx.parsed, ["socket-id", "user-json"], usageLine(this));
    const userData = await readValue(ctx.io, raw, "user data");
    const res = await authenticateUser({ ...ctx.keySecret(), socketId, userData });
    if (ctx.json) printJson(ctx.io, { ok: true, ...res });
    else ctx.out(table([["auth", res.auth], ["user_data", res.user_data]]) + JSON.stringify(res) + "\n");
    return EXIT.OK;
  },
};

const webhookVerify: Command = {
  name: "webhook verify",
  summary: "verify a webhook's X-Pusher-Signature against its raw body",
  help: `Usage: pusher-edge webhook verify --body BODY|@file|- --key KEY --signature HEX [--secret SECRET]
Checks X-Pusher-Key / X-Pusher-Signature against the exact raw body, as your webhook endpoint must, and lists the
events. Exit 0 valid, 1 invalid.
  --body BODY          the raw body (@file or - for stdin); required
  --key KEY            the X-Pusher-Key header (default: the configured key)
  --signature HEX      the X-Pusher-Signature header; required
  --content-type CT    the Content-Type header (default application/json)
${CREDENTIAL_HELP}`,
  flags: { strings: ["body", "signature", "content-type"] },
  async run(ctx) {
    positionals(ctx.parsed, [], usageLine(this));
    const rawBody = ctx.flag("body");
    const signature = ctx.flag("signature");
    if (rawBody === undefined || signature === undefined) {
      throw new UsageError("--body and --signature are required", usageLine(this));
    }
    const body = await readValue(ctx.io, rawBody, "the body");
    const creds = ctx.keySecret();
    const headerKey = ctx.flag("key") ?? creds.key;
    try {
      const v = await verifyWebhook({
        headers: {
          "x-pusher-key": headerKey,
          "x-pusher-signature": signature,
          "content-type": ctx.flag("content-type") ?? "application/json",
        },
        body,
        credentials: creds,
      });
      if (ctx.json) {
        printJson(ctx.io, {
          ok: true,
          valid: true,
          key: v.key,
          time_ms: v.timeMs,
          events: v.events,
          unknownEvents: v.unknownEvents,
          irregularEvents: v.irregularEvents,
          allEvents: v.allEvents,
        });
      } else {
        ctx.out(
          `valid: signed with key ${v.key}, time_ms ${v.timeMs} (${
            new Date(v.timeMs).toISOString()
          }), ${v.allEvents.length} event(s)\n`,
        );
        for (const e of v.allEvents) ctx.out(`  ${JSON.stringify(e)}\n`);
        for (const { reason } of v.irregularEvents) ctx.out(`  note: kept as sent: ${reason}\n`);
      }
      return EXIT.OK;
    } catch (err) {
      if (!(err instanceof PusherError)) throw err;
      const hint = err.code === "ERR_SIGNATURE_MISMATCH"
        ? "the signature is HMAC-SHA256(secret, raw body): verify the exact bytes received, before any JSON parsing"
        : err.code === "ERR_UNKNOWN_KEY"
        ? `X-Pusher-Key ${JSON.stringify(headerKey)} is not the configured key ${JSON.stringify(creds.key)}`
        : undefined;
      if (ctx.json) {
        printJson(ctx.io, { ok: false, valid: false, code: err.code, message: err.message, ...(hint ? { hint } : {}) });
      } else ctx.out(`invalid: ${err.code}: ${err.message}\n${hint ? `  ${hint}\n` : ""}`);
      return EXIT.CHECK_FAILED;
    }
  },
};

/** `auth channel`, `auth user`, `webhook verify`. */
export const AUTH_COMMANDS: readonly Command[] = [authChannel, authUser, webhookVerify];
