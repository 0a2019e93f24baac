// Cold start: process start -> first channel signature, with the core module alone (no REST client): the floor that a
// lazily loaded REST client could reach. Compare with cold_ours.ts (the root module, as users import it).
import { authorizeChannel } from "../../src/channel_auth.ts";

const r = await authorizeChannel({
  key: "278d425bdf160c739803",
  secret: "7ad3773142a6692b25b8",
  socketId: "123456.7654321",
  channel: "private-foo",
});
if (!r.auth) throw new Error("no signature");
