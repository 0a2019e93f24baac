// Cold start: process start -> first channel signature, with pusher-edge.
import { authorizeChannel } from "../../mod.ts";

const r = await authorizeChannel({
  key: "278d425bdf160c739803",
  secret: "7ad3773142a6692b25b8",
  socketId: "123456.7654321",
  channel: "private-foo",
});
if (!r.auth) throw new Error("no signature");
