// Cold start: process start -> first channel signature, with the official `pusher` package.
import Pusher from "pusher";

// deno-lint-ignore no-explicit-any
const p = new (Pusher as any)({ appId: "1234567", key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" });
if (!p.authorizeChannel("123456.7654321", "private-foo").auth) throw new Error("no signature");
