// Summarises a V8 .cpuprofile (deno run --cpu-prof, node --cpu-prof) of an auth server under load: the top frames by
// self time, and the inclusive time of the layers of POST /pusher/auth, as percent of the non-idle samples.
//   deno run -A bench/http/profile_summary.ts <file.cpuprofile> [top N, default 12]
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, topArg] = Deno.args;
const prof = JSON.parse(Deno.readTextFileSync(file)) as { nodes: Node[]; samples: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url: string) => url.replace(/^.*\/(node_modules|src|bench|ext)\//, "$1/").replace(/^file:\/\//, "");
const label = (n: Node) =>
  `${n.callFrame.functionName || "(anonymous)"} ${
    n.callFrame.url ? `${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ""
  }`
    .trim();

// Layers, matched against any frame of a sample's stack (a sample counts once per layer).
const LAYERS: [string, (n: Node) => boolean][] = [
  [
    "Hono routing/dispatch (fetch, #dispatch, router match, compose)",
    (n) =>
      /hono/.test(n.callFrame.url) &&
      /^(fetch|#dispatch|dispatch|match|compose|getPath|#matchRoute)$/.test(n.callFrame.functionName),
  ],
  ["Hono, any frame in hono/", (n) => /\/hono\/dist\//.test(n.callFrame.url)],
  ["@hono/node-server adapter", (n) => /@hono\/node-server/.test(n.callFrame.url)],
  ["our handler (pusherChannelAuth, inclusive)", (n) => /^pusherChannelAuth\d*$/.test(n.callFrame.functionName)],
  [
    "body reading (bodyReader, req.text/arrayBuffer)",
    (n) =>
      /_http\.ts/.test(n.callFrame.url) && /^(bodyReader|readBody)$|^$/.test(n.callFrame.functionName) ||
      /^(text|arrayBuffer|consumeBody|readAllBytes|packageData)$/.test(n.callFrame.functionName),
  ],
  [
    "body parsing (parseFields/parseForm, URLSearchParams)",
    (n) => /^(parseFields|parseForm|decodeUtf8|URLSearchParams)$/.test(n.callFrame.functionName),
  ],
  ["core authorizeChannel (inclusive)", (n) => /^authorizeChannel\d*$/.test(n.callFrame.functionName)],
  ["Web Crypto sign (inclusive)", (n) => /^(sign|signHex)$/.test(n.callFrame.functionName)],
  [
    "Response/JSON building (c.json, new Response, JSON.stringify)",
    (n) => /^(json|#newResponse|newResponse|Response|stringify|jsonResponse|respond)$/.test(n.callFrame.functionName),
  ],
  ["garbage collector", (n) => n.callFrame.functionName === "(garbage collector)"],
];

const self = new Map<number, number>();
const layer = new Array(LAYERS.length).fill(0);
let busy = 0;
for (const id of prof.samples) {
  const leaf = byId.get(id)!;
  if (leaf.callFrame.functionName === "(idle)") continue;
  busy++;
  self.set(id, (self.get(id) ?? 0) + 1);
  const stack: Node[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur)!);
  LAYERS.forEach(([, f], i) => {
    if (stack.some(f)) layer[i]++;
  });
}
// Self time per function (merged over call sites).
const fn = new Map<string, number>();
for (const [id, c] of self) fn.set(label(byId.get(id)!), (fn.get(label(byId.get(id)!)) ?? 0) + c);
const pct = (x: number) => `${(100 * x / busy).toFixed(1)} %`;
console.log(`${short(file)}: ${busy} non-idle samples of ${prof.samples.length}\n`);
console.log("| frame (self time) | % of non-idle |\n|---|--:|");
for (const [name, c] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 12))) {
  console.log(`| \`${name}\` | ${pct(c)} |`);
}
console.log("\n| layer (inclusive) | % of non-idle |\n|---|--:|");
LAYERS.forEach(([name], i) => console.log(`| ${name} | ${pct(layer[i])} |`));
