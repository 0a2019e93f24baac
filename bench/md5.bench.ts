// deno bench -A bench/md5.bench.ts: pusher-edge vs raw Web Crypto (baseline), the official package and pusher-http-edge.
import { coreGroups } from "./_cases.ts";
import { register } from "./_deno.ts";

register(await coreGroups(), ["md5-200", "md5-10k"]);
