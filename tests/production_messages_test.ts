// The production server's error texts, as pusher-signature's spec publishes them and the rest-verify vectors pin
// them (error.message): verifyRequest() produces them, and the emulator answers its 401s with them verbatim.
import assert from "node:assert/strict";
import { RequestVerificationError, verifyRequest } from "../mod.ts";
import { createEmulator } from "../src/hono/mod.ts";
import { signRequest } from "../src/sign_request.ts";
import type { VectorDocument } from "../vectors/run.ts";
import { JSON_CT, KEY, SECRET } from "./_hono_fixtures.ts";

const doc = JSON.parse(
  await Deno.readTextFile(new URL("../vectors/v1/rest_verify.json", import.meta.url)),
) as VectorDocument;
const pinned = doc.testGroups.flatMap((g) => g.tests.filter((t) => t.error?.message).map((t) => ({ g, t })));

Deno.test("verifyRequest() fails with production's text for every vector that pins one", async () => {
  assert.ok(pinned.length >= 4, "the vectors pin the malformed-signature and timestamp texts");
  for (const { g, t } of pinned) {
    const cred = g.credentials as { key: string; secret: string };
    const clock = g.clock as { now: number; toleranceSeconds: number };
    const err = await verifyRequest({
      credentials: { key: cred.key, secret: cred.secret },
      method: t.input.method as string,
      path: t.input.path as string,
      query: t.input.query as string,
      body: (t.input.body as string | null) ?? undefined,
      now: clock.now,
      toleranceSeconds: clock.toleranceSeconds,
    }).then(() => undefined, (e) => e);
    assert.ok(err instanceof RequestVerificationError, `#${t.tcId} must fail`);
    assert.equal(err.code, t.error!.code, `#${t.tcId}`);
    assert.equal(err.message, t.error!.message, `#${t.tcId}`);
  }
});

Deno.test("emulator: auth_signature=asdf answers 401 with production's Invalid signature text", async () => {
  const now = 1_800_000_000;
  const app = createEmulator({ appId: "3", key: KEY, secret: SECRET, now: () => now });
  const body = '{"name":"e","channels":["c"],"data":"x"}';
  const signed = await signRequest({
    key: KEY,
    secret: SECRET,
    method: "POST",
    path: "/apps/3/events",
    body,
    timestamp: now,
  });
  const query = signed.query.replace(/auth_signature=[0-9a-f]{64}/, "auth_signature=asdf");
  const res = await app.request(`/apps/3/events?${query}`, { method: "POST", headers: JSON_CT, body });
  assert.equal(res.status, 401);
  const text = await res.text();
  // Same shape as the vector's text for the same failure (rest-verify, pusher-signature group).
  const vector = pinned.find(({ t }) => t.error!.code === "ERR_SIGNATURE_MALFORMED")!.t.error!.message!;
  const shape = (s: string) =>
    s.replace(/HmacSHA256Hex\(".*", your_secret_key\)/, 'HmacSHA256Hex("…", your_secret_key)');
  assert.equal(shape(text), shape(vector));
  assert.equal(
    text,
    `Invalid signature: you should have sent HmacSHA256Hex(${
      JSON.stringify(`POST\n/apps/3/events\n${signed.query.replace(/&auth_signature=[0-9a-f]{64}/, "")}`)
    }, your_secret_key), but you sent "asdf"`,
  );
});
