// The debug page's WebSocket panel: connections, their channels, the last frames and webhook attempts, polled from
// `GET /emulator/live` every 2 s. Bounded on the server (200 rows, byte-bounded frame ring) and inserted with
// textContent only.

export const LIVE_SECTION = `<section>
      <h2>WebSockets</h2>
      <div id="live" class="label">loading…</div>
      <details><summary>recent frames</summary><pre id="live-frames"></pre></details>
      <details><summary>webhook deliveries</summary><pre id="live-webhooks"></pre></details>
    </section>`;

export const LIVE_SCRIPT = `
async function refreshLive() {
  try {
    const res = await fetch("/emulator/live");
    const live = await res.json();
    const box = document.getElementById("live");
    box.textContent = "";
    if (!live.enabled) { box.textContent = "No WebSocket server (emulator started without one)."; return; }
    box.append(el("div", "", live.connectionCount + " connection(s), " + live.channelCount + " channel(s) at ws://" +
      location.host + "/app/" + INFO.key + "?protocol=7"));
    for (const c of live.connections) {
      const row = el("div");
      row.dataset.socket = c.socketId;
      row.append(el("code", "", c.socketId), document.createTextNode((c.userId ? " user " + c.userId : "") +
        (c.channels.length ? " in " + c.channels.join(", ") : "")));
      box.append(row);
    }
    document.getElementById("live-frames").textContent = live.frames.slice(-60).map((f) =>
      new Date(f.time).toLocaleTimeString() + " " + f.direction + " " + f.socketId +
      (f.count > 1 ? " (+" + (f.count - 1) + " more sockets)" : "") + " " + f.text).join("\\n");
    document.getElementById("live-webhooks").textContent = live.webhookAttempts.map((a) =>
      "#" + a.attempt + " " + (a.ok ? "ok " : "failed ") + (a.status ?? a.error ?? "") + " " + a.url + " " +
      a.events.join(",") + (a.willRetry ? " (will retry)" : "")).join("\\n") || "none yet";
  } catch { /* next poll retries */ }
}
refreshLive();
setInterval(refreshLive, 2000);
`;
