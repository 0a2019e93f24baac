// Inputs shared by every benchmark (deno bench, scripts/bench_compare.ts on Deno/Node/Bun, scripts/bench_http.sh).
// The key and secret have the shape Pusher issues (20 hex characters); the values are Pusher's documented examples.

export const APP_ID = "1234567";
export const KEY = "278d425bdf160c739803";
export const SECRET = "7ad3773142a6692b25b8";
export const SOCKET_ID = "123456.7654321";
/** 32 bytes 0..31, base64: the encryption master key used for encrypted channels. */
export const MASTER_KEY_B64 = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i)));

export const PRIVATE_CHANNEL = "private-foo";
export const PRESENCE_CHANNEL = "presence-foo";
export const ENCRYPTED_CHANNEL = "private-encrypted-foo";
export const PRESENCE_MEMBER = { user_id: "42", user_info: { name: "Ada Lovelace" } };
export const USER_DATA = { id: "42", user_info: { name: "Ada Lovelace" } };

export const EVENTS_PATH = `/apps/${APP_ID}/events`;
export const CHANNELS_PATH = `/apps/${APP_ID}/channels`;
/** Fixed timestamp so signatures are comparable across implementations; verifyRequest gets the same `now`. */
export const TIMESTAMP = 1353088179;

function eventBody(size: number): string {
  const head = '{"name":"my-event","channels":["my-channel"],"data":"';
  const tail = '"}';
  return head + "x".repeat(size - head.length - tail.length) + tail;
}
/** A trigger body of exactly 200 bytes. */
export const BODY_200 = eventBody(200);
/** A trigger body of exactly 10,240 bytes (Pusher's data limit). */
export const BODY_10K = eventBody(10240);

/** An 88-byte `channel_occupied` webhook body. */
export const WEBHOOK_BODY = '{"time_ms":1327078148132,"events":[{"name":"channel_occupied","channel":"test_channel"}]}';

/** A short event payload for encrypt/decrypt (what a chat message looks like). */
export const EVENT_DATA = JSON.stringify({ message: "hello world", from: "Ada Lovelace", at: 1353088179 });
