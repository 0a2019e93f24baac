# Ratio table for docs/performance.md from wsperf results (one JSON-lines folder per server, first = baseline):
#   python3 bench/ws_ratios.py RESULTS_DIR soketi bun deno node workerd
import json, sys, os
root = sys.argv[1]
labels = sys.argv[2:]
def rows(label, test):
    p = os.path.join(root, label, f"{test}.jsonl")
    if not os.path.exists(p): return []
    out = []
    for line in open(p):
        try: out.append(json.loads(line))
        except Exception: pass
    return out
base = labels[0]
def fmt(v, d=1):
    return "–" if v is None else (f"{v:,.{d}f}" if isinstance(v, float) else f"{v:,}")
def ratio(v, b):
    return "" if (v is None or not b) else f" ({v / b:.2f}×)"
print("| figure | " + " | ".join(labels) + " |")
print("|---|" + "---|" * len(labels))
# conns
for n in sorted({r["n"] for r in rows(base, "conns")}):
    get = lambda l, k: next((r.get(k) for r in rows(l, "conns") if r["n"] == n), None)
    b = get(base, "rssPerConnKb")
    print(f"| {n:,} sockets held: opened (failed), KiB RSS/conn | " + " | ".join(
        f"{fmt(get(l,'opened'))} ({fmt(get(l,'failed'))}), {fmt(get(l,'rssPerConnKb'))}{ratio(get(l,'rssPerConnKb'), b)}" for l in labels) + " |")
    b = get(base, "connectRate")
    print(f"| {n:,} sockets: connect+subscribe/s | " + " | ".join(
        f"{fmt(get(l,'connectRate'))}{ratio(get(l,'connectRate'), b)}" for l in labels) + " |")
for key in sorted({(r["subs"], r["inflight"]) for r in rows(base, "fanout")}):
    def get(l):
        return next((r for r in rows(l, "fanout") if (r["subs"], r["inflight"]) == key), None)
    b = get(base)
    cells = []
    for l in labels:
        r = get(l)
        if not r: cells.append("–"); continue
        cells.append(f"{fmt(r['deliveredPerSec'],0)}{ratio(r['deliveredPerSec'], b and b['deliveredPerSec'])}, p50/p99 {fmt(r['latencyMs']['p50'])}/{fmt(r['latencyMs']['p99'])} ms, {fmt(r['serverCpuUsPerMsg'])} µs/msg, complete {r['completeness']}")
    print(f"| REST fan-out 1 → {key[0]:,}, {key[1]} in flight: msg/s, latency, server CPU | " + " | ".join(cells) + " |")
for key in sorted({(r.get("subs") or r.get("n"), r.get("mode")) for r in rows(base, "client-events")}):
    def get(l):
        return next((r for r in rows(l, "client-events") if ((r.get("subs") or r.get("n")), r.get("mode")) == key), None)
    b = get(base)
    cells = []
    for l in labels:
        r = get(l)
        if not r: cells.append("–"); continue
        lat = r.get("latencyMs") or {}
        cells.append(f"{fmt(r.get('deliveredPerSec'),0)}{ratio(r.get('deliveredPerSec'), b and b.get('deliveredPerSec'))}, p50/p99 {fmt(lat.get('p50'))}/{fmt(lat.get('p99'))} ms, complete {r.get('completeness')}")
    print(f"| client events 1 → {key[0]}, {key[1]}: msg/s, latency | " + " | ".join(cells) + " |")
# load
loads = []
for l in labels:
    ls = [r.get("meter", {}).get("load1") or r.get("meterOpen", {}).get("load1") for t in ("conns","fanout","client-events") for r in rows(l, t)]
    ls = [x for x in ls if x]
    loads.append(f"{min(ls):.1f}–{max(ls):.1f}" if ls else "–")
print("| machine load1 during the windows | " + " | ".join(loads) + " |")
