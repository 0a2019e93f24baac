// deno bench -A bench/encryption.bench.ts: pusher-edge vs raw Web Crypto (baseline), the official package and pusher-http-edge.
import { coreGroups } from "./_cases.ts";
import { register } from "./_deno.ts";

register(await coreGroups(), ["encrypt", "decrypt"]);
