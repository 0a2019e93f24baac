import assert from "node:assert/strict";
import { CHECKS } from "../src/cli/_conformance_cases.ts";
import { createApp } from "../src/hono/mod.ts";
import { cli, startEmulator } from "./_cli_helpers.ts";

type Report = {
  ok: boolean;
  passed: number;
  failed: number;
  warned: number;
  rejected2xx: number;
  productionOnly: number;
  checks: {
    id: string;
    kind: string;
    verdict: string;
    production: boolean;
    answer: { status: number; body: string };
  }[];
};

function serve(
  handler: (req: Request) => Response | Promise<Response>,
): Promise<{ origin: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) => resolve({ origin: `http://127.0.0.1:${port}`, close: () => server.shutdown() }),
    }, handler);
  });
}

Deno.test("cli vectors run --against the emulator passes every check", async () => {
  const emu = await startEmulator();
  try {
    const r = await cli(["vectors", "run", "--against", emu.origin, "--json"]);
    const report = r.json() as unknown as Report;
    assert.equal(r.code, 0, JSON.stringify(report.checks.filter((c) => c.verdict !== "pass"), null, 1));
    assert.deepEqual([report.ok, report.passed, report.failed, report.warned], [true, CHECKS.length, 0, 0]);
    const kinds = new Set(report.checks.map((c) => c.kind));
    assert.deepEqual([...kinds].sort(), ["accept", "reject"]);
    const bad = report.checks.find((c) => c.id === "bad-signature")!;
    assert.equal(bad.answer.status, 401);
    assert.match(bad.answer.body, /^Invalid signature: you should have sent HmacSHA256Hex/);
    assert.ok(report.checks.every((c) => c.answer.body.length <= 200));
    assert.equal(report.checks.find((c) => c.id === "data-10241")!.answer.status, 413);

    const text = await cli(["vectors", "run", "--against", emu.origin]);
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      new RegExp(
        `summary: ${CHECKS.length} passed, 0 failed, 0 warnings, 0 rejected with a 2xx status \\(of ${CHECKS.length}\\): ` +
          "every check passed",
      ),
    );
    assert.match(text.stdout, /^#\s+result\s+kind\s+check\s+expected\s+got\s+server answered/m);
    // Without a TTY the progress is one plain line per check on stderr.
    assert.match(
      text.stderr,
      new RegExp(`^\\[1/${CHECKS.length}\\] PASS accept trigger, documented example -> 200$`, "m"),
    );
    assert.ok(!text.stderr.includes("\r"));
  } finally {
    await emu.close();
  }
});

Deno.test("cli vectors run --against redraws one progress line on a TTY and honours --only", async () => {
  const emu = await startEmulator();
  try {
    const r = await cli(["vectors", "run", "--against", emu.origin, "--only", "users,bad-signature"], { tty: true });
    assert.equal(r.code, 0);
    assert.ok(
      r.stderr.startsWith("\r\x1b[2K[1/2] accept users of a presence channel…\r\x1b[2K[2/2] reject "),
      r.stderr,
    );
    assert.ok(r.stderr.endsWith("\r\x1b[2K"));
    assert.match(r.stdout, /2 checks/);
  } finally {
    await emu.close();
  }
});

Deno.test("cli vectors run --against a server that accepts everything fails every negative check", async () => {
  const lax = await serve(() => Response.json({}));
  try {
    const r = await cli(["vectors", "run", "--against", lax.origin, "--json"]);
    assert.equal(r.code, 1);
    const report = r.json() as unknown as Report;
    for (const c of report.checks) assert.equal(c.verdict, c.kind === "accept" ? "pass" : "fail", c.id);
    const text = await cli(["vectors", "run", "--against", lax.origin, "--only", "expired-timestamp"]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /FAIL expired-timestamp: timestamp 600 s in the past \(rest-verify StaleTimestamp\)/);
    assert.match(text.stdout, /expected 401\|403; not rejected\n {4}server answered 200: \{\}/);
  } finally {
    await lax.close();
  }
});

Deno.test("cli vectors run --against: another 4xx is a warning, a failure with --strict", async () => {
  // The emulator, but answering 400 where it would answer 401.
  const app = createApp({});
  const server = await serve(async (req) => {
    const res = await app.fetch(req);
    return res.status === 401 ? new Response(await res.text(), { status: 400 }) : res;
  });
  try {
    const r = await cli(["vectors", "run", "--against", server.origin, "--json"]);
    const report = r.json() as unknown as Report;
    assert.equal(r.code, 0);
    assert.ok(report.warned >= 6 && report.failed === 0, JSON.stringify(report));
    assert.equal(report.checks.find((c) => c.id === "bad-signature")!.verdict, "warn");
    assert.equal((await cli(["vectors", "run", "--against", server.origin, "--strict"])).code, 1);
  } finally {
    await server.close();
  }
});

Deno.test("cli vectors run --against: a rejection with 200 and an error body is its own outcome (soketi)", async () => {
  // The emulator, but answering every error as soketi does: status 200, {"error": …, "code": status}.
  const app = createApp({});
  const server = await serve(async (req) => {
    const res = await app.fetch(req);
    if (res.status < 400) return res;
    return Response.json({ error: await res.text(), code: res.status }, { status: 200 });
  });
  try {
    const r = await cli(["vectors", "run", "--against", server.origin, "--json"]);
    const report = r.json() as unknown as Report;
    assert.equal(report.failed, 0, JSON.stringify(report));
    assert.equal(report.rejected2xx, CHECKS.filter((c) => c.kind === "reject").length);
    assert.equal(report.checks.find((c) => c.id === "bad-signature")!.verdict, "rejected-2xx");
    assert.equal(report.checks.find((c) => c.id === "trigger-docs")!.verdict, "pass");
    // Limits and info rules are marked as checks only a production-grade server must pass.
    assert.deepEqual(
      report.checks.filter((c) => c.production).map((c) => c.id).sort(),
      ["batch-11", "channels-101", "channels-user-count", "data-10241", "event-name-201", "users-non-presence"],
    );
    assert.equal(report.productionOnly, 6);
    assert.equal(r.code, 0);
    const strict = await cli(["vectors", "run", "--against", server.origin, "--strict"]);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /REJECTED-2XX/);
    assert.match(strict.stdout, /rejected with a 2xx status/);
    assert.match(strict.stdout, /production-grade/);
  } finally {
    await server.close();
  }
});

Deno.test("cli vectors run --against: exit 3 when the server cannot be reached, 2 on a bad URL", async () => {
  const r = await cli(["vectors", "run", "--against", "http://127.0.0.1:1", "--only", "users", "--timeout", "2000"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /could not be reached/);
  assert.equal((await cli(["vectors", "run", "--against", "nope"])).code, 2);
  assert.equal((await cli(["vectors", "run", "extra"])).code, 2);
});

Deno.test("cli vectors run passes every vector on this library", async () => {
  const r = await cli(["vectors", "run", "--json", "--strict"], { realFiles: true });
  const out = r.json() as {
    ok: boolean;
    passed: number;
    failed: number;
    suites: { suite: string; sha256: string }[];
    failures: { suite: string; tcId: number }[];
  };
  assert.deepEqual(out.failures, [], JSON.stringify(out));
  assert.ok(out.passed > 200);
  assert.ok(out.suites.some((s) => s.suite === "rest-verify"));
  assert.ok(out.suites.every((s) => s.sha256 === "ok"));
  const text = await cli(["vectors", "run"], { realFiles: true });
  assert.match(text.stdout, /^total\s+\d+\s+0\s+0/m);
  assert.match(text.stdout, /every vector passed\n$/);
  const missing = await cli(["vectors", "run", "--vectors", "/nonexistent"], { realFiles: true });
  assert.equal(missing.code, 2);
});
