// Debian's Chromium for the browser tests, driven by playwright-core: present or not, and launched with the flags this
// closed-network machine needs (no background networking, no QUIC). A test is skipped when Chromium is missing, except
// under CI=true, where it must fail instead.
import assert from "node:assert/strict";

export const CHROMIUM = "/usr/bin/chromium";
let present = false;
try {
  present = Deno.statSync(CHROMIUM).isFile;
} catch { /* absent */ }
/** Chromium is there, or CI requires it (and the test fails on launch). */
export const runBrowserTests = present || Deno.env.get("CI") === "true";

/** Says once why a browser test is skipped. */
export function noteSkip(what: string): void {
  if (!runBrowserTests) {
    console.log(`SKIP ${what}: ${CHROMIUM} missing (apt-get update && apt-get install -y chromium)`);
  }
}

/** Launches headless Chromium. */
export async function launchChromium() {
  assert.ok(present, `${CHROMIUM} is required in CI (apt-get install -y chromium)`);
  const { chromium } = await import("playwright-core");
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });
}
