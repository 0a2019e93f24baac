/**
 * Checks on the vector files themselves: JSON Schema (ajv, draft 2020-12), the Wycheproof-style lint
 * invariants, the manifest (sha256 and counts), error codes against src/errors.ts, and the policy table.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import Ajv2020Module from "ajv/dist/2020.js";
import { PusherError, type PusherErrorCode } from "../mod.ts";
import { POLICY } from "../vectors/impl.ts";
import type { VectorDocument, VectorTest } from "../vectors/run.ts";

const dir = new URL("../vectors/", import.meta.url);
const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(new URL(path, dir)));
const manifest = await readJson("manifest.json") as {
  schemaVersion: string;
  files: {
    path: string;
    suite: string;
    numberOfTests: number;
    sha256: string;
    counts: Record<string, number>;
  }[];
};
const docs = new Map<string, VectorDocument & { numberOfTests: number; notes: Record<string, unknown> }>();
for (const f of manifest.files) docs.set(f.path, await readJson(f.path));
const tests = (d: VectorDocument): VectorTest[] => d.testGroups.flatMap((g) => g.tests);

Deno.test("vectors: every file validates against schema.json", async () => {
  // ajv is CommonJS; depending on the interop layer the class is the default export or its .default.
  const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as new (
    o: Record<string, unknown>,
  ) => { compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown } };
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(await readJson("schema.json"));
  for (const [path, doc] of docs) {
    assert.ok(validate(doc), `${path}: ${JSON.stringify(validate.errors, null, 2)}`);
  }
  // The schema must have teeth: a valid test without expected, or an unknown error code, is rejected.
  const broken = structuredClone(docs.get("v1/rest_sign.json")!);
  delete broken.testGroups[0].tests[0].expected;
  assert.equal(validate(broken), false);
  const badCode = structuredClone(docs.get("v1/channel_auth.json")!);
  const inv = badCode.testGroups.flatMap((g) => g.tests).find((t) => t.error)!;
  inv.error!.code = "ERR_NOT_A_CODE";
  assert.equal(validate(badCode), false);
});

Deno.test("vectors: lint invariants", () => {
  for (const [path, doc] of docs) {
    const all = tests(doc);
    const ids = all.map((t) => t.tcId);
    assert.equal(new Set(ids).size, ids.length, `${path}: duplicate tcId`);
    assert.equal(doc.numberOfTests, all.length, `${path}: numberOfTests`);
    for (const g of doc.testGroups) assert.equal(g.type, doc.suite, `${path}: group type`);
    const used = new Set(all.flatMap((t) => t.flags));
    for (const f of used) assert.ok(f in doc.notes, `${path}: flag ${f} not in notes`);
    for (const f of Object.keys(doc.notes)) assert.ok(used.has(f), `${path}: note ${f} unused`);
    for (const t of all) {
      const where = `${path}#${t.tcId}`;
      if (t.result === "valid") assert.ok(t.expected && !t.error, `${where}: valid needs expected, no error`);
      if (t.result === "invalid") assert.ok(t.error && !t.expected, `${where}: invalid needs error, no expected`);
      if (t.result === "acceptable") {
        assert.ok(!t.error, `${where}: acceptable has no error`);
        assert.ok(t.flags.some((f) => f in POLICY), `${where}: acceptable test without a policy flag`);
      }
    }
  }
});

Deno.test("vectors: manifest matches the files", async () => {
  for (const f of manifest.files) {
    const bytes = await Deno.readFile(new URL(f.path, dir));
    assert.equal(createHash("sha256").update(bytes).digest("hex"), f.sha256, `${f.path}: sha256`);
    const doc = docs.get(f.path)!;
    assert.equal(doc.suite, f.suite);
    assert.equal(doc.numberOfTests, f.numberOfTests);
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const t of tests(doc)) counts[t.result]++;
    assert.deepEqual(counts, f.counts, `${f.path}: counts`);
  }
});

Deno.test("vectors: the schema rejects SdkKnownAnswer without a checkable source", async () => {
  const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as new (
    o: Record<string, unknown>,
  ) => { compile(s: unknown): (d: unknown) => boolean };
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(await readJson("schema.json"));
  const doc = docs.get("v1/channel_auth.json")!;
  const gi = doc.testGroups.findIndex((g) => g.tests.some((t) => t.flags.includes("SdkKnownAnswer")));
  assert.ok(gi >= 0);
  for (const field of ["repository", "path", "tests"]) {
    const broken = structuredClone(doc);
    delete (broken.testGroups[gi].source as Record<string, unknown>)[field];
    assert.equal(validate(broken), false, `accepted a SdkKnownAnswer group without source.${field}`);
  }
  // The flag on a generator group is rejected too.
  const generated = structuredClone(doc);
  const g = generated.testGroups.find((g) => g.source.name === "generator")!;
  g.tests[0].flags.push("SdkKnownAnswer");
  assert.equal(validate(generated), false);
});

Deno.test("vectors: every SDK group names repository, path and commit or a version that says why not", () => {
  for (const [path, doc] of docs) {
    for (const g of doc.testGroups) {
      const s = g.source as Record<string, unknown>;
      if (!/^pusher-(http-[a-z]+|signature)$/.test(g.source.name)) continue;
      assert.ok(typeof s.repository === "string" && typeof s.path === "string", `${path}: ${g.source.name}`);
      if (s.commit === undefined) assert.match(g.source.version, /without a commit|^\d+\.\d+\.\d+$/, path);
      else assert.equal(g.source.version, (s.commit as string).slice(0, 8), path);
    }
  }
});

Deno.test("vectors: at least 330 tests in total, and the README states the current counts", async () => {
  const total = manifest.files.reduce((n, f) => n + f.numberOfTests, 0);
  assert.ok(total >= 330);
  const readme = (await Deno.readTextFile(new URL("../README.md", import.meta.url))).replace(/\s+/g, " ");
  assert.ok(readme.includes(`v1.1 holds ${total} tests`), "README.md: total");
  for (const f of manifest.files) {
    assert.ok(readme.includes(`\`${f.suite}\` ${f.numberOfTests}`), `README.md: ${f.suite}`);
  }
});

Deno.test("vectors: at least 120 tests across the six v1 suites", () => {
  const six = ["hmac", "rest-sign", "rest-verify", "channel-auth", "user-auth", "webhook-verify"];
  const suites = manifest.files.filter((f) => six.includes(f.suite));
  assert.deepEqual(suites.map((f) => f.suite).sort(), [...six].sort());
  assert.ok(suites.reduce((n, f) => n + f.numberOfTests, 0) >= 120);
});

Deno.test("vectors: error codes and stages are the library's", () => {
  for (const [path, doc] of docs) {
    for (const t of tests(doc)) {
      if (!t.error) continue;
      // Constructing the error both checks the code exists at runtime and gives its stage.
      const stage = new PusherError(t.error.code as PusherErrorCode, "x").stage;
      assert.equal(t.error.stage, stage, `${path}#${t.tcId}: stage of ${t.error.code}`);
    }
  }
  const union = [
    ...Deno.readTextFileSync(new URL("../src/errors.ts", import.meta.url)).matchAll(/\| "(ERR_[A-Z0-9_]+)"/g),
  ]
    .map((m) => m[1]);
  for (const [path, doc] of docs) {
    for (const t of tests(doc)) if (t.error) assert.ok(union.includes(t.error.code), `${path}: ${t.error.code}`);
  }
});

Deno.test("vectors: policy.json is pusher-edge's declared policy", async () => {
  assert.deepEqual(await readJson("policy.json"), POLICY);
});
