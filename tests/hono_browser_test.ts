// The debug page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): an event triggered with
// the client appears live with its data, a tampered request appears as rejected with the reason and the expected
// string to sign, and the page's own buttons work. Takes a screenshot (PUSHER_EDGE_SCREENSHOT, default
// /tmp/pusher-edge-debug-page.png). Skipped when Chromium is missing, except under CI=true, where that fails.
import assert from "node:assert/strict";
import { Pusher } from "../mod.ts";
import { createApp } from "../src/hono/mod.ts";
import { signRequest } from "../src/sign_request.ts";
import { launchChromium, noteSkip, runBrowserTests } from "./_chromium.ts";

noteSkip("debug page in Chromium");

Deno.test({
  name: "debug page: live requests, events and rejections in headless Chromium",
  ignore: !runBrowserTests,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const app = createApp({});
    const ac = new AbortController();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, app.fetch);
    const port = server.addr.port;
    const origin = `http://127.0.0.1:${port}`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(origin);
      await page.waitForSelector("#status.live", { timeout: 10_000 });

      // 1. An event triggered with the library's client appears, with its data.
      const pusher = new Pusher({
        appId: "1",
        key: "emulator-key",
        secret: "emulator-secret",
        host: "127.0.0.1",
        port,
        useTLS: false,
      });
      await pusher.trigger("browser-channel", "order-shipped", { order: 1234, note: "<b>not html</b>" });
      const accepted = page.locator(".entry.accepted", { hasText: "order-shipped" });
      await accepted.waitFor({ timeout: 10_000 });
      assert.match(await accepted.locator(".events").innerText(), /browser-channel[\s\S]*order-shipped/);
      assert.equal(await accepted.locator("code.data").innerText(), '{"order":1234,"note":"<b>not html</b>"}');
      assert.equal(await page.locator("b", { hasText: "not html" }).count(), 0, "request data must not become HTML");

      // 2. A tampered request shows as rejected, with the reason and the string it should have signed.
      const body = JSON.stringify({ name: "tampered-event", data: "{}", channels: ["browser-channel"] });
      const s = await signRequest({
        key: "emulator-key",
        secret: "emulator-secret",
        method: "POST",
        path: "/apps/1/events",
        body,
      });
      // Flip the first hex digit, so the tampered signature always differs from the real one.
      const tampered = s.query.replace(/auth_signature=(.)/, (_, c) => `auth_signature=${c === "0" ? "1" : "0"}`);
      const res = await fetch(`${origin}/apps/1/events?${tampered}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      assert.equal(res.status, 401);
      await res.text();
      const rejected = page.locator(".entry.rejected").first();
      await rejected.waitFor({ timeout: 10_000 });
      assert.match(
        await rejected.locator(".reason").innerText(),
        /^Invalid signature: you should have sent HmacSHA256Hex/,
      );
      assert.equal(await rejected.locator(".canonical pre").innerText(), s.stringToSign);

      // 3. The page's own buttons send a signed and a tampered request.
      const before = await page.locator(".entry").count();
      await page.click("#send-signed");
      await page.locator(".entry.accepted", { hasText: "demo-event" }).waitFor({ timeout: 10_000 });
      await page.click("#send-tampered");
      await page.locator(".entry.rejected").nth(1).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator(".entry").count(), before + 2);
      assert.equal(await page.locator(".entry.rejected").count(), 2);
      assert.match(await page.locator("#channels").innerText(), /presence-demo/);
      assert.match(await page.locator("#channels").innerText(), /2 member\(s\), user ids: 1, 2/);

      const shot = Deno.env.get("PUSHER_EDGE_SCREENSHOT") ?? "/tmp/pusher-edge-debug-page.png";
      await page.screenshot({ path: shot, fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      ac.abort();
      await server.finished;
    }
  },
});
