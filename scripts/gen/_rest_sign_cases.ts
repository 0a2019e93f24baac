/**
 * The rest-sign cases, grouped by source. Append new cases at the end of a group or in a new group at the
 * end: tcIds are assigned in order and must never change.
 *
 * @module
 */
import {
  type Credentials,
  DOCS,
  DOCS_SOURCE,
  type ErrorCode,
  GEN_SOURCE,
  NODE_SOURCE,
  type Source,
} from "./_common.ts";
import { GENERATED } from "./_rest_sign_generated.ts";
import { V11_GROUPS } from "./_rest_sign_sdk.ts";
import { SRC } from "./_sources.ts";

/** One rest-sign case before it is computed. */
export interface Case {
  comment: string;
  flags: string[];
  method: string;
  path: string;
  params?: [string, string][];
  /** Non-string values (arrays, booleans, numbers); replaces `params` in the input. */
  raw?: [string, unknown][];
  body?: string | null;
  ts?: number;
  /** A value published elsewhere (docs, SDK tests, pusher-spec.md) that the reference must reproduce. */
  known?: { auth_signature?: string; body_md5?: string };
  error?: ErrorCode;
}

const S = JSON.stringify;
const EV = "/apps/3/events";

const docs: Case[] = [{
  comment: "trigger event, documented example (rest-api.md)",
  flags: ["OfficialExample"],
  method: "POST",
  path: EV,
  body: '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}',
  known: {
    body_md5: "ec365a775a4cd0599faeb73354201b6f",
    auth_signature: "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c",
  },
}];

// Bodies exactly as pusher-http-node 5.3.4 serialises them (pusher-spec.md §9 #2-#5, #10, #11).
const nodeBodies: Case[] = [
  {
    comment: "trigger as serialised by pusher-http-node (name, data, channels)",
    flags: [],
    method: "POST",
    path: EV,
    body: S({ name: "foo", data: S({ some: "data" }), channels: ["project-3"] }),
    known: { auth_signature: "3afbfced4119aeb18b1b441f623f438db238170e007bb8dda50203ad09031632" },
  },
  {
    comment: "trigger with a non-ASCII body and socket_id",
    flags: ["NonAsciiBody"],
    method: "POST",
    path: EV,
    body: S({ name: "my-event", data: S({ msg: "héllo/<b>&" }), channels: ["my-channel"], socket_id: "123.456" }),
    known: {
      body_md5: "4fa3a3545f902ae768160466b44f0656",
      auth_signature: "cb6e7e3fb0066e327439dc2cb600178ea9fef8fdd9b1434caf64c6c233e7d274",
    },
  },
  {
    comment: "trigger to two channels with string data and info",
    flags: [],
    method: "POST",
    path: EV,
    body: S({
      name: "ev",
      data: "plain string",
      channels: ["a", "b"],
      socket_id: "123.456",
      info: "subscription_count",
    }),
    known: { auth_signature: "2808ce8b9ef2d2a39e679920ae4421104e080964253927454f17035d36c6cc29" },
  },
  {
    comment: "batch trigger",
    flags: [],
    method: "POST",
    path: "/apps/3/batch_events",
    body: S({
      batch: [
        { channel: "c1", name: "e1", data: "x" },
        { channel: "presence-c2", name: "e2", data: S({ n: 1 }), socket_id: "1.2", info: "user_count" },
      ],
    }),
    known: { auth_signature: "29d794d99cf8e321db4e3d79f8a1f9a6cc02e7e9e430f28b16a3b0809dc08b39" },
  },
  {
    comment: "terminate user connections (body {})",
    flags: [],
    method: "POST",
    path: "/apps/3/users/user-1/terminate_connections",
    body: "{}",
    known: {
      body_md5: "99914b932bd37a50b983c5e7c90ae93b",
      auth_signature: "880052344e56f2b29dd6ae66856b69f1d496d6a262d22ccd4f50f94a6d98bf6a",
    },
  },
  {
    comment: "sendToUser",
    flags: [],
    method: "POST",
    path: EV,
    body: S({ name: "greet", data: S({ hi: 1 }), channels: ["#server-to-user-user-1"] }),
    known: { auth_signature: "f8373f2cb7668e8849e714e0b64b706196a55ad6c78c2daade79d0029f825446" },
  },
];

const nodeTests: Case[] = [
  {
    comment: "createSignedQueryString with a body",
    flags: ["SdkKnownAnswer"],
    method: "GET",
    path: "/event",
    body: "example body",
    ts: 1234567890,
    known: {
      body_md5: "165d5e6d7ca8f73b3853ce45addf42fc",
      auth_signature: "a650196dc427ebe837226f8565ca9232198c6d1b9455eaa72374a9dc0b620e7b",
    },
  },
  {
    comment: "createSignedQueryString with params",
    flags: ["SdkKnownAnswer"],
    method: "GET",
    path: "/event",
    params: [["foo", "bar"], ["baz", "123454321"]],
    ts: 1234567890,
    known: { auth_signature: "d8bdbd31911fb7400a14fbd36fd7de053494725b64400ae5856deafe304b34a9" },
  },
];

const GO_CH = "/apps/102015/channels";
const goTests: Case[] = [
  {
    comment: "channels with filter_by_prefix and info",
    flags: ["SdkKnownAnswer"],
    method: "GET",
    path: GO_CH,
    params: [["filter_by_prefix", "presence-"], ["info", "user_count"]],
    ts: 1427034994,
    known: { auth_signature: "4d8a02edcc8a758b0162cd6da690a9a45fb8ae326a276dca1e06a0bc42796c11" },
  },
  {
    comment: "channels without params",
    flags: ["SdkKnownAnswer"],
    method: "GET",
    path: GO_CH,
    ts: 1427036787,
    known: { auth_signature: "df89248f87f6e6d028925e0b04d60f316527a865992ace6936afa91281d8bef0" },
  },
  {
    comment: "channel info with a comma-separated value",
    flags: ["SdkKnownAnswer", "UnescapedQueryValue"],
    method: "GET",
    path: `${GO_CH}/presence-session-d41a439c438a100756f5-4bf35003e819bb138249-ROpCFmgFhXY`,
    params: [["info", "user_count,subscription_count"]],
    ts: 1427053326,
    known: { auth_signature: "f93ceb31f396aef336226efe512aaf339bd5e39c7c2c04b81cc8681dc16ee785" },
  },
];

const KS: Credentials = { app_id: "1", key: "key", secret: "secret" };

/** [source, credentials, cases, comment?] in file order. */
export const CASES: [Source, Credentials, Case[], string?][] = [
  [DOCS_SOURCE, DOCS, docs],
  [NODE_SOURCE, DOCS, nodeBodies, "Request bodies exactly as pusher-http-node serialises them (pusher-spec.md §9)."],
  [
    SRC.nodeSignedQuery,
    { app_id: "1", key: "f00d", secret: "tofu" },
    nodeTests,
  ],
  [
    SRC.pyRequest,
    KS,
    [{
      comment: "POST with a body containing a space",
      flags: ["SdkKnownAnswer"],
      method: "POST",
      path: "/some/obscure/api",
      body: '{"foo": "bar"}',
      ts: 1000,
      known: {
        body_md5: "94232c5b8fc9272f6f73a1e36eb68fcf",
        auth_signature: "e05fa4cafee86311746ee3981d5581a5e4e87c27bbab0aeb1059e2df5c90258b",
      },
    }],
  ],
  [
    SRC.goRequestUrl,
    { app_id: "102015", key: "d41a439c438a100756f5", secret: "4bf35003e819bb138249" },
    goTests,
  ],
  [
    SRC.signature,
    KS,
    [{
      comment: "POST with two params",
      flags: ["SdkKnownAnswer"],
      method: "POST",
      path: "/some/path",
      params: [["go", "here"], ["query", "params"]],
      ts: 1234,
      known: { auth_signature: "3b237953a5ba6619875cbb2a2d43e8da9ef5824e8a2c689f6284ac85bc1ea0db" },
    }],
  ],
  [GEN_SOURCE, DOCS, GENERATED],
  // v1.1: appended groups.
  ...V11_GROUPS,
];
