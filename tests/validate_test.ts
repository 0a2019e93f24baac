import assert from "node:assert/strict";
import fc from "fast-check";
import { PusherError, validateChannelName, validateEventName, validateSocketId, validateUserId } from "../mod.ts";

const CHANNEL_REF = /^[-a-zA-Z0-9_=@,.;]{1,200}$/;
const SOCKET_REF = /^\d+\.\d+$/;

function accepts(fn: (v: unknown) => unknown, v: unknown): boolean {
  try {
    fn(v);
    return true;
  } catch (err) {
    assert.ok(err instanceof PusherError);
    return false;
  }
}

Deno.test("validateChannelName() agrees with the reference regex", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 210 }), fc.stringMatching(/^[-a-zA-Z0-9_=@,.;:# ]{0,205}$/)), (s) => {
      assert.equal(accepts(validateChannelName, s), CHANNEL_REF.test(s));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("validateSocketId() agrees with the reference regex and refuses non-ASCII digits", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9.:\n ]{0,12}$/)), (s) => {
      assert.equal(accepts(validateSocketId, s), SOCKET_REF.test(s));
    }),
    { numRuns: 2000 },
  );
  assert.equal(accepts(validateSocketId, "١.١"), false);
  assert.equal(accepts(validateSocketId, 1.1), false);
});

Deno.test("validateEventName() and validateUserId() need non-empty strings", () => {
  assert.equal(validateEventName("e".repeat(200)), "e".repeat(200));
  assert.throws(() => validateEventName("e".repeat(201)), { code: "ERR_EVENT_NAME_TOO_LONG" });
  assert.throws(() => validateEventName(""), { code: "ERR_INVALID_EVENT_NAME" });
  assert.throws(() => validateUserId(""), { code: "ERR_INVALID_USER_ID" });
  assert.throws(() => validateUserId(5), { code: "ERR_INVALID_USER_ID" });
  assert.equal(validateUserId("0"), "0");
});

Deno.test("validation errors never echo more than 40 characters of the input", () => {
  const long = "x:".repeat(500);
  const err = (() => {
    try {
      validateChannelName(long);
    } catch (e) {
      return e as PusherError;
    }
  })()!;
  assert.ok(err.message.length < 120);
});
