/**
 * The REST commands: `trigger`, `batch`, `channels`, `channel`, `users`, `terminate`, `send-to-user`.
 *
 * @module
 */
import type { BatchEvent } from "../client/_events.ts";
import type { ChannelAttributes } from "../client/types.ts";
import { positionals } from "./_args.ts";
import { type Command, type Context, CREDENTIAL_HELP, usageLine } from "./_command.ts";
import { EXIT, printJson, readValue, UsageError } from "./_io.ts";

function attrs(a: ChannelAttributes | undefined): string {
  const parts = Object.entries(a ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? parts.join(" ") : "";
}

function done(ctx: Context, value: Record<string, unknown>, text: string): number {
  if (ctx.json) printJson(ctx.io, { ok: true, ...value });
  else ctx.out(text);
  return EXIT.OK;
}

const trigger: Command = {
  name: "trigger",
  summary: "trigger an event on one or more channels",
  help: `Usage: pusher-edge trigger <channel>[,<channel>…] <event> <data|@file|->
Triggers <event> on up to 100 comma-separated channels. <data> is sent as is (a string; use JSON text for objects),
read from a file with @path, or from stdin with -. On a private-encrypted-* channel (alone) it is encrypted with
--encryption-master-key (or PUSHER_ENCRYPTION_MASTER_KEY_BASE64; the emulator's demo key by default).
  --socket-id ID       exclude this connection
  --info ATTRS         ask for channel attributes back: user_count, subscription_count
${CREDENTIAL_HELP}`,
  flags: { strings: ["socket-id", "info"] },
  async run(ctx) {
    const [list, event, raw] = positionals(ctx.parsed, ["channels", "event", "data"], usageLine(this));
    const channels = list.split(",");
    const data = await readValue(ctx.io, raw, "data");
    const params: { socket_id?: string; info?: string } = {};
    if (ctx.flag("socket-id") !== undefined) params.socket_id = ctx.flag("socket-id");
    if (ctx.flag("info") !== undefined) params.info = ctx.flag("info");
    const result = await ctx.client().trigger(
      channels.length === 1 ? channels[0] : channels,
      event,
      forChannels(channels, data),
      params,
    );
    const lines = [`triggered ${JSON.stringify(event)} on ${channels.length} channel(s): ${channels.join(", ")}`];
    for (const [name, a] of Object.entries(result.channels)) lines.push(`  ${name}  ${attrs(a)}`);
    return done(ctx, { event, channels, result: result.channels }, lines.join("\n") + "\n");
  },
};

/**
 * On `private-encrypted-*` the plaintext is `JSON.stringify(data)` (as in the official package), so JSON text is
 * parsed first: subscribers then get the value an unencrypted channel would give them, not a quoted string.
 */
function forChannels(channels: readonly string[], data: string): unknown {
  if (!channels.some((c) => c.startsWith("private-encrypted-"))) return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function toBatch(parsed: unknown): BatchEvent[] {
  const list = Array.isArray(parsed) ? parsed : (parsed as { batch?: unknown })?.batch;
  if (!Array.isArray(list)) throw new UsageError('the batch file must hold a JSON array of events, or {"batch":[…]}');
  return list.map((e, i) => {
    if (typeof e !== "object" || e === null || typeof e.channel !== "string" || typeof e.name !== "string") {
      throw new UsageError(`event ${i} needs "channel" and "name" strings (and "data")`);
    }
    return e as BatchEvent;
  });
}

const batch: Command = {
  name: "batch",
  summary: "trigger up to 10 events in one request, from a JSON file",
  help: `Usage: pusher-edge batch <file|->
<file> holds a JSON array of events ({"channel","name","data","socket_id"?,"info"?}) or {"batch":[…]}.
At most 10 events per request (the API's limit); --split sends a longer list as several requests.
  --split              allow more than 10 events, sent 10 at a time
${CREDENTIAL_HELP}`,
  flags: { booleans: ["split"] },
  async run(ctx) {
    const [file] = positionals(ctx.parsed, ["file"], usageLine(this));
    const text = await readValue(ctx.io, file === "-" ? "-" : `@${file}`, "the batch");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError("the batch file is not valid JSON");
    }
    const events = toBatch(parsed);
    const result = await ctx.client().triggerBatch(events, { split: ctx.has("split") });
    const lines = [`sent ${events.length} event(s) in ${Math.max(1, Math.ceil(events.length / 10))} request(s)`];
    result.batch.forEach((a, i) => lines.push(`  #${i} ${events[i]?.channel ?? ""}  ${attrs(a)}`));
    return done(ctx, { events: events.length, result: result.batch }, lines.join("\n") + "\n");
  },
};

const channels: Command = {
  name: "channels",
  summary: "list occupied channels",
  help: `Usage: pusher-edge channels [--prefix PREFIX] [--info user_count]
Lists the occupied channels. --info user_count needs --prefix presence-.
  --prefix PREFIX      only channels whose name starts with PREFIX (filter_by_prefix)
  --info ATTRS         attributes per channel (user_count)
${CREDENTIAL_HELP}`,
  flags: { strings: ["prefix", "info"] },
  async run(ctx) {
    positionals(ctx.parsed, [], usageLine(this));
    const result = await ctx.client().channels({ prefix: ctx.flag("prefix"), info: ctx.flag("info") });
    const names = Object.keys(result.channels);
    const lines = names.length === 0
      ? ["no occupied channels"]
      : [`${names.length} occupied channel(s):`, ...names.map((n) => `  ${n}  ${attrs(result.channels[n])}`.trimEnd())];
    return done(ctx, { channels: result.channels }, lines.join("\n") + "\n");
  },
};

const channel: Command = {
  name: "channel",
  summary: "show one channel's state",
  help: `Usage: pusher-edge channel <name> [--info ATTRS]
Shows whether <name> is occupied and, with --info, user_count (presence), subscription_count or cache.
  --info ATTRS         comma-separated: user_count, subscription_count, cache
${CREDENTIAL_HELP}`,
  flags: { strings: ["info"] },
  async run(ctx) {
    const [name] = positionals(ctx.parsed, ["name"], usageLine(this));
    const result = await ctx.client().channel(name, { info: ctx.flag("info") });
    const rows = Object.entries(result).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
    return done(ctx, { channel: name, ...result }, [`${name}`, ...rows].join("\n") + "\n");
  },
};

const users: Command = {
  name: "users",
  summary: "list the members of a presence channel",
  help: `Usage: pusher-edge users <presence-channel>
Lists the user ids subscribed to a presence- channel.
${CREDENTIAL_HELP}`,
  flags: {},
  async run(ctx) {
    const [name] = positionals(ctx.parsed, ["presence-channel"], usageLine(this));
    const result = await ctx.client().users(name);
    const lines = [`${result.users.length} user(s) on ${name}:`, ...result.users.map((u) => `  ${u.id}`)];
    return done(ctx, { channel: name, users: result.users }, lines.join("\n") + "\n");
  },
};

const terminate: Command = {
  name: "terminate",
  summary: "disconnect every connection of a signed-in user",
  help: `Usage: pusher-edge terminate <user-id>
Terminates every connection of <user-id> (connections that completed user sign-in).
${CREDENTIAL_HELP}`,
  flags: {},
  async run(ctx) {
    const [user] = positionals(ctx.parsed, ["user-id"], usageLine(this));
    await ctx.client().terminateUserConnections(user);
    return done(ctx, { user }, `terminated the connections of user ${user}\n`);
  },
};

const sendToUser: Command = {
  name: "send-to-user",
  summary: "send an event to every connection of a signed-in user",
  help: `Usage: pusher-edge send-to-user <user-id> <event> <data|@file|->
Sends <event> to the channel #server-to-user-<user-id>. <data> as for trigger.
${CREDENTIAL_HELP}`,
  flags: {},
  async run(ctx) {
    const [user, event, raw] = positionals(ctx.parsed, ["user-id", "event", "data"], usageLine(this));
    const data = await readValue(ctx.io, raw, "data");
    await ctx.client().sendToUser(user, event, data);
    return done(ctx, { user, event }, `sent ${JSON.stringify(event)} to user ${user}\n`);
  },
};

/** The REST commands. */
export const REST_COMMANDS: readonly Command[] = [trigger, batch, channels, channel, users, terminate, sendToUser];
