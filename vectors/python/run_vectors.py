#!/usr/bin/env python3
"""Runs every pusher-vectors/v1 file against a Python implementation (default: ./reference.py).

Same result semantics as vectors/run.ts:
  valid       the implementation must succeed and reproduce every field of `expected`
              (`signed_query` / `url` compared as decoded multisets of query pairs);
  invalid     it must fail with the same stage; strict mode (the default) also requires the same code,
              and the same `message` when both the vector and the implementation give one;
  acceptable  either outcome, but it must match the implementation's own POLICY for the test's flags
              (a "reject" on any flag wins); when accepted, `expected` must match.

Usage: python3 vectors/python/run_vectors.py [--lenient] [--impl MODULE] [--verbose] [--require-nacl]
Prints one line per failure, then "N passed, M failed"; exits 1 when anything failed.
Standard library only; PyNaCl (Debian: python3-nacl) is used for secretbox if installed, else those tests are skipped.
"""

import argparse
import hashlib
import importlib
import json
import os
import sys
from urllib.parse import unquote_plus

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.dirname(HERE)
INFORMATIVE = {"signed_query", "url"}


def decoded_pairs(query):
    q = query.split("?", 1)[1] if "?" in query else query
    out = []
    for p in q.split("&"):
        if p:
            k, _, v = p.partition("=")
            out.append(f"{unquote_plus(k)}={unquote_plus(v)}")
    return sorted(out)


def compare(expected, value):
    for field, want in expected.items():
        got = value.get(field)
        if field in INFORMATIVE and isinstance(want, str) and isinstance(got, str):
            if decoded_pairs(want) != decoded_pairs(got):
                return f"{field}: {got} != {want}"
        elif got != want or type(got) is not type(want):
            return f"{field}: got {json.dumps(got)}, expected {json.dumps(want)}"
    return None


def policy_for(policy, flags):
    choices = [policy[f] for f in flags if f in policy]
    if not choices:
        return None
    return "reject" if "reject" in choices else "accept"


def judge(impl, tc, out, strict):
    """Returns (status, reason): status is pass, fail or skip."""
    if isinstance(out, str):
        return "skip", out

    def must_accept():
        if not out["ok"]:
            return "fail", f"rejected with {out['code']} ({out['stage']})"
        why = compare(tc.get("expected") or {}, out["value"])
        return ("fail", why) if why else ("pass", None)

    if tc["result"] == "valid":
        return must_accept()
    if tc["result"] == "invalid":
        want = tc["error"]
        if out["ok"]:
            return "fail", f"accepted; expected {want['code']}"
        if out["stage"] != want["stage"]:
            return "fail", f"stage {out['stage']} ({out['code']}), expected {want['stage']} ({want['code']})"
        if strict and out["code"] != want["code"]:
            return "fail", f"code {out['code']}, expected {want['code']}"
        if strict and "message" in want and "message" in out and out["message"] != want["message"]:
            return "fail", f"message {json.dumps(out['message'])}, expected {json.dumps(want['message'])}"
        return "pass", None
    choice = policy_for(impl.POLICY, tc["flags"])
    if choice is None:
        return "fail", f"no policy declared for any of {', '.join(tc['flags'])}"
    if choice == "accept":
        return must_accept()
    return ("fail", "accepted, but the declared policy rejects it") if out["ok"] else ("pass", None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lenient", action="store_true", help="only the error stage must match")
    ap.add_argument("--impl", default="reference", help="module with SUITES and POLICY (default: reference)")
    ap.add_argument("--verbose", action="store_true", help="print every test")
    ap.add_argument("--require-nacl", action="store_true", help="fail instead of skipping when PyNaCl is missing")
    args = ap.parse_args()
    sys.path.insert(0, HERE)
    impl = importlib.import_module(args.impl)
    if args.require_nacl and not getattr(impl, "HAVE_NACL", True):
        print(f"PyNaCl is required but {sys.executable} cannot import it (apt-get install python3-nacl)")
        return 1
    with open(os.path.join(VECTORS, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    counts = {"pass": 0, "fail": 0, "skip": 0}
    skipped = {}
    for entry in manifest["files"]:
        with open(os.path.join(VECTORS, entry["path"]), "rb") as f:
            raw = f.read()
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            print(f"FAIL {entry['path']}: sha256 differs from manifest.json")
            counts["fail"] += 1
            continue
        doc = json.loads(raw)
        if doc["schema"] != "pusher-vectors/v1":
            raise SystemExit(f"unsupported schema {doc['schema']}")
        fn = impl.SUITES.get(doc["suite"])
        for group in doc["testGroups"]:
            for tc in group["tests"]:
                name = f"{doc['suite']} #{tc['tcId']} {tc['comment']}"
                if fn is None:
                    status, reason = "skip", f"suite {doc['suite']} not implemented"
                else:
                    try:
                        status, reason = judge(impl, tc, fn(group, tc["input"]), not args.lenient)
                    except Exception as e:  # a crash is a failure of that test, not of the run
                        status, reason = "fail", f"raised {type(e).__name__}: {e}"
                counts[status] += 1
                if status == "skip":
                    skipped[reason] = skipped.get(reason, 0) + 1
                if status == "fail" or args.verbose:
                    print(f"{status.upper()} {name}" + (f": {reason}" if reason else ""))
    for reason, n in skipped.items():
        print(f"{n} skipped ({reason})")
    print(f"{counts['pass']} passed, {counts['fail']} failed")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
