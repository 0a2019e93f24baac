// pusher:subscribe and pusher:unsubscribe, in the order of the protocol reference §6.2 and §6.4.
import { byteLength, channelEvent, frame } from "./_frames.ts";
import { checkAuth, type Conn, type Ctx, sendError } from "./_context.ts";
import type { Member } from "./types.ts";

const CHANNEL_RE = /^[A-Za-z0-9_\-=@,.;]+$/;
export const USER_CHANNEL = "#server-to-user-";

export function isCacheChannel(name: string): boolean {
  return /^(private-encrypted-|private-|presence-)?cache-/.test(name);
}

function isAuthChannel(name: string): boolean {
  return name.startsWith("private-") || name.startsWith("presence-");
}

type Presence = { member: Member; signed: string } | { error: string };

/** The member a presence subscription joins as, and the string its auth must sign. */
function presenceMember(ctx: Ctx, conn: Conn, channel: string, channelData: unknown): Presence {
  if (channelData === undefined || channelData === null || channelData === "") {
    if (conn.userId === undefined) return { error: `Presence channel_data required to subscribe to ${channel}` };
    const member: Member = { user_id: conn.userId };
    if (conn.userInfo !== undefined) member.user_info = conn.userInfo;
    return { member, signed: `${conn.socketId}:${channel}` };
  }
  if (typeof channelData !== "string") return { error: "channel_data must be a JSON string" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(channelData);
  } catch {
    return { error: "channel_data is not valid JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { error: "channel_data must be a JSON object" };
  }
  const { user_id, user_info } = parsed as Record<string, unknown>;
  const id = typeof user_id === "number" && Number.isFinite(user_id) ? String(user_id) : user_id;
  if (typeof id !== "string" || id === "") return { error: "channel_data must contain a user_id" };
  if (id.length > 128) return { error: "Presence user_id is longer than 128 characters" };
  if (user_info !== undefined && (typeof user_info !== "object" || user_info === null || Array.isArray(user_info))) {
    return {
      error: "user_info supplied to presence subscription is invalid - if supplied it must be a type of hash",
    };
  }
  if (user_info !== undefined && byteLength(JSON.stringify(user_info)) > ctx.limits.maxUserInfoBytes) {
    return { error: `Presence user_info is larger than ${ctx.limits.maxUserInfoBytes} bytes` };
  }
  const member: Member = { user_id: id };
  if (user_info !== undefined) member.user_info = user_info;
  return { member, signed: `${conn.socketId}:${channel}:${channelData}` };
}

export async function subscribe(ctx: Ctx, conn: Conn, data: Record<string, unknown>): Promise<void> {
  const channel = data.channel;
  if (typeof channel !== "string") return sendError(ctx, conn, null, "Subscription requires a channel name");
  if (channel.startsWith(USER_CHANNEL)) {
    if (conn.userId === undefined || channel !== USER_CHANNEL + conn.userId) {
      return sendError(ctx, conn, null, `Cannot subscribe to ${channel.slice(0, 200)}: not signed in as that user`);
    }
  } else if (!CHANNEL_RE.test(channel) || channel.length > ctx.limits.maxChannelNameLength) {
    return sendError(ctx, conn, null, `Invalid channel name ${channel.slice(0, 200)}`);
  }
  if (conn.channels.has(channel)) return sendError(ctx, conn, null, `Existing subscription to channel ${channel}`);
  if (conn.channels.size >= ctx.limits.maxChannelsPerConnection) {
    return sendError(ctx, conn, null, `Too many channels on one connection (${ctx.limits.maxChannelsPerConnection})`);
  }
  if (channel.startsWith(USER_CHANNEL)) {
    // Server-to-user delivery goes through the user index, so the channel is acknowledged but not registered.
    conn.channels.set(channel, undefined);
    return ctx.send(conn, frame("pusher_internal:subscription_succeeded", "{}", channel));
  }

  let member: Member | undefined;
  if (isAuthChannel(channel)) {
    let signed = `${conn.socketId}:${channel}`;
    if (channel.startsWith("presence-")) {
      const p = presenceMember(ctx, conn, channel, data.channel_data);
      if ("error" in p) return sendError(ctx, conn, null, p.error);
      member = p.member;
      signed = p.signed;
    }
    const error = await checkAuth(ctx, data.auth, signed, channel);
    if (error) return sendError(ctx, conn, null, error);
  }
  if (conn.closed || conn.channels.has(channel)) return;

  const joined = await ctx.bus.join(channel, conn.socketId, member, ctx.limits.maxPresenceMembers);
  if (joined.refused === "full") {
    return sendError(
      ctx,
      conn,
      null,
      `Cannot join ${channel}: it already has ${ctx.limits.maxPresenceMembers} members`,
    );
  }
  conn.channels.set(channel, member?.user_id);
  if (conn.closed) return void await leaveChannel(ctx, conn, channel);
  if (joined.first && !ctx.cancelWebhook(`vacated\0${channel}`)) {
    ctx.webhook({ name: "channel_occupied", channel });
  }

  if (member) {
    if (joined.userAdded) {
      const added: Record<string, unknown> = { user_id: member.user_id };
      if (member.user_info !== undefined) added.user_info = member.user_info;
      await ctx.bus.broadcast(channel, frame("pusher_internal:member_added", added, channel), conn.socketId);
      if (!ctx.cancelWebhook(`removed\0${channel}\0${member.user_id}`)) {
        ctx.webhook({ name: "member_added", channel, user_id: member.user_id });
      }
    }
    const members = await ctx.bus.members(channel);
    const hash: Record<string, unknown> = {};
    for (const m of members) hash[m.user_id] = m.user_info ?? null;
    const presence = { ids: members.map((m) => m.user_id), hash, count: members.length };
    ctx.send(conn, frame("pusher_internal:subscription_succeeded", { presence }, channel));
  } else {
    ctx.send(conn, frame("pusher_internal:subscription_succeeded", "{}", channel));
  }

  if (isCacheChannel(channel)) {
    const cached = await ctx.bus.getCache(channel, ctx.now());
    if (cached) ctx.send(conn, channelEvent(channel, cached.event, cached.data));
    else {
      ctx.send(conn, JSON.stringify({ event: "pusher:cache_miss", channel }));
      if (await ctx.bus.claim(`cache_miss\0${channel}`, 3000, ctx.now())) ctx.webhook({ name: "cache_miss", channel });
    }
  }
  if (!member) await subscriptionCount(ctx, channel, joined.subscriptionCount);
}

/** Broadcasts `pusher_internal:subscription_count` and sends its webhook (non-presence channels, when enabled). */
async function subscriptionCount(ctx: Ctx, channel: string, count: number): Promise<void> {
  if (!ctx.limits.subscriptionCount || count === 0 || channel.startsWith("presence-")) return;
  // Above 100 subscribers Pusher sends at most one update per 5 s; the last change of a window is sent when it ends.
  if (count > 100 && !(await ctx.bus.claim(`subscription_count\0${channel}`, 5000, ctx.now()))) {
    return ctx.later(`count\0${channel}`, ctx.now() + 5000, () => refreshCount(ctx, channel));
  }
  await ctx.bus.broadcast(channel, frame("pusher_internal:subscription_count", { subscription_count: count }, channel));
  ctx.webhook({ name: "subscription_count", channel, subscription_count: count });
}

async function refreshCount(ctx: Ctx, channel: string): Promise<void> {
  const info = await ctx.bus.info(channel);
  if (info.subscription_count > 0) await subscriptionCount(ctx, channel, info.subscription_count);
}

/** Removes one subscription and sends what follows from it: member_removed, vacated, subscription counts. */
export async function leaveChannel(ctx: Ctx, conn: Conn, channel: string): Promise<void> {
  conn.channels.delete(channel);
  if (channel.startsWith(USER_CHANNEL)) return;
  const left = await ctx.bus.leave(channel, conn.socketId);
  if (!left.left) return;
  if (left.userRemoved !== undefined) {
    const removed = frame("pusher_internal:member_removed", { user_id: left.userRemoved }, channel);
    await ctx.bus.broadcast(channel, removed);
    ctx.webhookLater(`removed\0${channel}\0${left.userRemoved}`, {
      name: "member_removed",
      channel,
      user_id: left.userRemoved,
    });
  }
  if (left.vacated) ctx.webhookLater(`vacated\0${channel}`, { name: "channel_vacated", channel });
  else if (!channel.startsWith("presence-")) await subscriptionCount(ctx, channel, left.subscriptionCount);
}

export async function unsubscribe(ctx: Ctx, conn: Conn, data: Record<string, unknown>): Promise<void> {
  const channel = data.channel;
  if (typeof channel !== "string" || !conn.channels.has(channel)) {
    const name = typeof channel === "string" ? channel.slice(0, 200) : String(channel);
    return sendError(ctx, conn, null, `No current subscription to channel ${name}, or subscription in progress`);
  }
  await leaveChannel(ctx, conn, channel);
}
