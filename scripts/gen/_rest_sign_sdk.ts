/**
 * rest-sign groups added in v1.1 (appended, so v1.0 tcIds are unchanged): the remaining SDK known answers. Where an
 * SDK test publishes only body_md5 (its timestamp is not fixed), the signature in the vector is this suite's own,
 * computed at the docs' timestamp; only body_md5 counts as the known answer. Append only.
 *
 * @module
 */
import { type Credentials, DOCS_TS, type Source } from "./_common.ts";
import type { Case } from "./_rest_sign_cases.ts";
import { SRC } from "./_sources.ts";

const S = JSON.stringify;
const SK = ["SdkKnownAnswer"];
const post = (comment: string, path: string, body: string, body_md5: string, flags = SK): Case => ({
  comment,
  flags,
  method: "POST",
  path,
  body,
  ts: DOCS_TS,
  known: { body_md5 },
});

const GO: Credentials = { app_id: "102015", key: "d41a439c438a100756f5", secret: "4bf35003e819bb138249" };
const F00D: Credentials = { app_id: "1234", key: "f00d", secret: "tofu" };
const SOME = S({ some: "data " });
const ev = (name: string, data: string, channels: string[], params: Record<string, string> = {}) =>
  S({ name, data, channels, ...params });
const EV = "/apps/1234/events";

/** [source, credentials, cases, comment?] appended to rest-sign's groups. */
export const V11_GROUPS: [Source, Credentials, Case[], string?][] = [
  [SRC.goRequestUrlMore, GO, [
    {
      comment: "channels with filter_by_prefix only",
      flags: SK,
      method: "GET",
      path: "/apps/102015/channels",
      params: [["filter_by_prefix", "presence-"]],
      ts: 1427036577,
      known: { auth_signature: "b540383af4582af5fbb5df7be5472d54bd0838c9c2021c7743062568839e6f97" },
    },
    {
      comment: "users of a presence channel",
      flags: SK,
      method: "GET",
      path: "/apps/102015/channels/presence-session-d41a439c438a100756f5-4bf35003e819bb138249-nYJLy67qh52/users",
      ts: 1427053709,
      known: { auth_signature: "207feaf4e8efeb24e5f148011704251bf90e2059a5f97a3eb52d06178b11feca" },
    },
  ]],
  [SRC.goMd5, { app_id: "1", key: "key", secret: "supersecret" }, [
    post("body Hello! (MD5 only)", "/apps/1/events", "Hello!", "952d2c56d0485958336747bcdd98590d"),
  ]],
  [
    SRC.dotnetRequest,
    { app_id: "test_app_id", key: "test_app_key", secret: "test_app_secret" },
    [post(
      "JSON body of the .NET request factory test (MD5 only; its upper-case query keys are left out)",
      "/apps/test_app_id/testPath",
      '{"Property1":"Test Property 4","Property2":5,"Property3":false}',
      "41db1761b31df9dc02b2811b38c010d4",
    )],
  ],
  [SRC.signatureAuthHash, { app_id: "1", key: "key", secret: "secret" }, [{
    comment: "POST with one param (auth_hash)",
    flags: SK,
    method: "POST",
    path: "/some/path",
    params: [["query", "params"]],
    ts: 1234,
    known: { auth_signature: "da078fcedd72941b6c873caa40d0d6b2000ebfc700cee802b128dd20f72e74e9" },
  }]],
  [SRC.nodeSignedQueryOld, { app_id: "1234", key: "f00d", secret: "beef" }, [
    {
      comment: "createSignedQueryString with a body, secret beef",
      flags: SK,
      method: "GET",
      path: "/event",
      body: "example body",
      ts: 1234567890,
      known: {
        body_md5: "165d5e6d7ca8f73b3853ce45addf42fc",
        auth_signature: "89323a7f200fdefaa992e73e0953534dbb94c4dd2450514bcb4721b28b14fb26",
      },
    },
  ]],
  [
    SRC.nodeTrigger,
    F00D,
    [
      post("trigger to one channel", EV, ev("my_event", SOME, ["one"]), "e95168baf497b2e54b2c6cadd41a6a3f"),
      post(
        "trigger to three channels",
        EV,
        ev("my_event", SOME, ["one", "two", "three"]),
        "530dac0aa045e5f8e51c470aed0ce325",
      ),
      post("array data as JSON", EV, ev("my_event", "[1,2,4]", ["one"]), "18e64b2fed38726915d79ebb4f8feb5b"),
      post("string data sent raw", EV, ev("test_event", "test string", ["test"]), "f358a562d00e1bfe1859132d932cd706"),
      post(
        "socket_id and info in the body",
        EV,
        ev("my_event", SOME, ["test_channel"], { socket_id: "123.567", info: "user_count,subscription_count" }),
        "2e4f053f1c325dedbe21abd8f1852b53",
      ),
      post(
        "info in the body",
        EV,
        ev("my_event", SOME, ["test_channel"], { info: "subscription_count" }),
        "d3a47b3241328a6432adf60c8e91b6fb",
      ),
      post("trigger to test_channel", EV, ev("my_event", SOME, ["test_channel"]), "cf87d666b4a829a54fc44b313584b2d7"),
      post(
        "channel name with _ - = @ , . ;",
        EV,
        ev("my_event", SOME, ["test_-=@,.;channel"]),
        "024f0f297e27e131c8ec2c8817d153f4",
      ),
      post(
        "socket_id in the body",
        EV,
        ev("my_event", SOME, ["test_channel"], { socket_id: "123.567" }),
        "0478e1ed73804ae1be97cfa6554cf039",
      ),
      post(
        "batch of two events",
        "/apps/1234/batch_events",
        S({
          batch: [
            { channel: "integration", name: "event", data: "test" },
            { channel: "integration2", name: "event2", data: "test2" },
          ],
        }),
        "fd5ab5fd40237f27555c4d2564470fdd",
      ),
      post(
        "batch with JSON data",
        "/apps/1234/batch_events",
        S({
          batch: [
            { channel: "integration", name: "event", data: S({ hello: "world" }) },
            { channel: "integration2", name: "event2", data: S({ hello2: "another world" }) },
          ],
        }),
        "ade2e9d64d936215c2b2d6a6f4606ef9",
      ),
    ],
    "pusher-http-node's trigger tests fix body_md5 only (auth_timestamp and auth_signature are masked).",
  ],
  [SRC.nodePost, { app_id: "10000", key: "aaaa", secret: "tofu" }, [
    post(
      "post() with a JSON body",
      "/apps/10000/test",
      S({ foo: "one", bar: [1, 2, 3], baz: 4321 }),
      "12bf5995ac4b1285a6d87b2dafb92590",
    ),
  ]],
];
