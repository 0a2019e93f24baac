// The debug page: one self-contained HTML document (no build step), updated over server-sent events.
// Everything taken from requests is inserted with textContent, never as HTML.
import { LIVE_SCRIPT, LIVE_SECTION } from "./page_live.ts";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A shell snippet (openssl, md5sum, curl) that signs and sends a trigger to the emulator at `origin`. */
export function sampleCurl(info: { appId: string; key: string; secret?: string }, origin: string): string {
  const secret = info.secret ?? "<your secret>";
  return [
    `body='{"name":"my-event","channels":["demo"],"data":"{\\"message\\":\\"hi\\"}"}'`,
    `q="auth_key=${info.key}&auth_timestamp=$(date +%s)&auth_version=1.0&body_md5=$(printf %s "$body" | md5sum | cut -d' ' -f1)"`,
    `sig=$(printf 'POST\\n/apps/${info.appId}/events\\n%s' "$q" | openssl dgst -sha256 -hmac '${secret}' | sed 's/^.* //')`,
    `curl -s -H 'content-type: application/json' -d "$body" "${origin}/apps/${info.appId}/events?$q&auth_signature=$sig"`,
  ].join("\n");
}

/** Renders the page; `info` is the emulator's public info (the secret only for demo credentials). */
export function debugPage(info: { appId: string; key: string; secret?: string; encryption: boolean }): string {
  const bootstrap = JSON.stringify(info).replace(/</g, "\\u003c");
  const curl = sampleCurl(info, "$ORIGIN");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pusher-edge emulator</title>
<style>
  :root { --ok: #1a7f37; --bad: #cf222e; --mute: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; }
  header { padding: 12px 20px; border-bottom: 1px solid var(--line); background: var(--bg); }
  header h1 { font-size: 18px; margin: 0 0 4px; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 16px; padding: 16px 20px; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
  code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
  pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin: 6px 0;
        white-space: pre-wrap; word-break: break-all; }
  .creds code { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 1px 4px; }
  button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--line); background: #fff;
           cursor: pointer; }
  button:hover { background: var(--bg); }
  #status { color: var(--mute); margin-left: 8px; }
  #status.live { color: var(--ok); }
  .entry { border: 1px solid var(--line); border-left: 4px solid var(--mute); border-radius: 6px; padding: 8px 12px;
           margin-bottom: 10px; }
  .entry.accepted { border-left-color: var(--ok); }
  .entry.rejected { border-left-color: var(--bad); }
  .entry .line { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
  .badge { font-weight: 600; font-size: 12px; padding: 1px 8px; border-radius: 10px; color: #fff; }
  .accepted .badge { background: var(--ok); }
  .rejected .badge { background: var(--bad); }
  .method { font-weight: 600; }
  .time { color: var(--mute); margin-left: auto; font-size: 12px; }
  .reason { color: var(--bad); margin: 6px 0 0; white-space: pre-wrap; word-break: break-word; }
  .label { color: var(--mute); font-size: 12px; margin-top: 6px; }
  table { border-collapse: collapse; width: 100%; margin-top: 4px; }
  td, th { text-align: left; border-top: 1px solid var(--line); padding: 4px 6px; vertical-align: top; }
  th { font-size: 12px; color: var(--mute); font-weight: 600; }
  td code { white-space: pre-wrap; word-break: break-all; }
  .empty { color: var(--mute); padding: 24px; text-align: center; border: 1px dashed var(--line); border-radius: 6px; }
  aside h2 { font-size: 15px; margin: 0 0 6px; }
  aside section { margin-bottom: 18px; }
  details summary { cursor: pointer; color: var(--mute); font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>pusher-edge emulator <span id="status">connecting…</span></h1>
  <div class="creds">A local stand-in for the Pusher Channels REST API. It verifies every request's signature like
    production. App id <code id="app-id">${escapeHtml(info.appId)}</code>, key <code id="app-key">${
    escapeHtml(info.key)
  }</code>${info.secret ? `, secret <code id="app-secret">${escapeHtml(info.secret)}</code>` : ""}${
    info.encryption ? ", encrypted payloads are decrypted" : ""
  }. Point your server SDK at this host with <code>useTLS: false</code>.</div>
</header>
<main>
  <div>
    <div class="line" style="margin-bottom:10px">
      <button id="send-signed" type="button">Send a signed test event</button>
      <button id="send-tampered" type="button">Send a tampered request</button>
      <button id="clear" type="button">Clear list</button>
    </div>
    <div id="entries"><div class="empty" id="empty">No requests yet. Trigger an event with your server SDK, the
      buttons above, or the curl command on the right.</div></div>
  </div>
  <aside>
    <section>
      <h2>Try it with curl</h2>
      <pre id="curl"></pre>
    </section>
    <section>
      <h2>Channels</h2>
      <div id="channels" class="label">loading…</div>
    </section>
    ${LIVE_SECTION}
    <section>
      <h2>Reading this page</h2>
      <div class="label">Each request shows its verdict, the string the emulator expects to be signed
        (<code>METHOD\\npath\\nsorted query</code>), the reason for a rejection, and the events it triggered
        (decrypted for <code>private-encrypted-</code> channels when the master key is known).</div>
    </section>
  </aside>
</main>
<script>
"use strict";
const INFO = ${bootstrap};
const CURL = ${JSON.stringify(curl).replace(/</g, "\\u003c")};
document.getElementById("curl").textContent = "ORIGIN=" + location.origin + "\\n" + CURL;
const list = document.getElementById("entries");
const seen = new Set();

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function labelled(label, text, cls) {
  const wrap = el("div", cls);
  wrap.append(el("div", "label", label), el("pre", "", text));
  return wrap;
}
function render(entry) {
  if (seen.has(entry.id)) return;
  seen.add(entry.id);
  const empty = document.getElementById("empty");
  if (empty) empty.remove();
  const box = el("div", "entry " + entry.verdict);
  box.dataset.id = String(entry.id);
  box.dataset.verdict = entry.verdict;
  const line = el("div", "line");
  line.append(
    el("span", "badge", entry.verdict === "accepted" ? "accepted " + entry.status : "rejected " + entry.status),
    el("span", "method", entry.method),
    el("code", "path", entry.path),
    el("span", "time", new Date(entry.time).toLocaleTimeString()),
  );
  box.append(line);
  if (entry.reason) box.append(el("div", "reason", entry.reason));
  if (entry.stringToSign !== undefined) {
    box.append(labelled(entry.verdict === "accepted" ? "Signed string" : "Expected string to sign",
      entry.stringToSign, "canonical"));
  }
  if (entry.sentSignature) box.append(labelled("Signature sent", entry.sentSignature, "sent"));
  if (entry.events && entry.events.length) {
    const table = el("table", "events");
    const head = el("tr");
    head.append(el("th", "", "channel"), el("th", "", "event"), el("th", "", "data"));
    table.append(head);
    for (const ev of entry.events) {
      const row = el("tr");
      const data = el("td");
      data.append(el("code", "data", ev.data));
      if (ev.decrypted !== undefined) {
        data.append(el("div", "label", "decrypted:"), el("code", "decrypted", ev.decrypted));
      } else if (ev.decryptError) {
        data.append(el("div", "reason", "not decrypted: " + ev.decryptError));
      }
      row.append(el("td", "", ev.channel), el("td", "", ev.name), data);
      table.append(row);
    }
    box.append(el("div", "label", "Triggered events"), table);
  }
  const more = el("details");
  more.append(el("summary", "", "query, body and response"));
  if (entry.query) more.append(labelled("Query", entry.query));
  if (entry.body) more.append(labelled("Body", entry.body));
  if (entry.response) more.append(labelled("Response", entry.response));
  box.append(more);
  list.prepend(box);
  while (list.children.length > 200) list.lastElementChild.remove();
  refreshChannels();
}

let pending = false;
async function refreshChannels() {
  if (pending) return;
  pending = true;
  setTimeout(async () => {
    pending = false;
    try {
      const res = await fetch("/emulator/channels");
      const { channels } = await res.json();
      const box = document.getElementById("channels");
      box.textContent = "";
      const names = Object.keys(channels);
      if (!names.length) box.textContent = "No occupied channels.";
      for (const name of names) {
        const c = channels[name];
        const row = el("div");
        row.append(el("code", "", name), document.createTextNode(" " + (c.occupied ? c.subscription_count +
          " subscribed" : "vacant")));
        if (c.members) row.append(el("div", "label", "members: " + Object.keys(c.members).join(", ")));
        box.append(row);
      }
    } catch { /* the next entry retries */ }
  }, 150);
}

const status = document.getElementById("status");
function connect() {
  const source = new EventSource("/emulator/stream");
  source.addEventListener("open", () => { status.textContent = "live"; status.className = "live"; });
  source.addEventListener("entry", (e) => render(JSON.parse(e.data)));
  source.addEventListener("error", () => { status.textContent = "reconnecting…"; status.className = ""; });
}
connect();
refreshChannels();

async function demo(tamper) {
  await fetch("/emulator/demo/trigger", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ tamper }) });
}
document.getElementById("send-signed").addEventListener("click", () => demo(false));
document.getElementById("send-tampered").addEventListener("click", () => demo(true));
document.getElementById("clear").addEventListener("click", () => {
  for (const e of [...list.querySelectorAll(".entry")]) e.remove();
});
${LIVE_SCRIPT}
</script>
</body>
</html>
`;
}
