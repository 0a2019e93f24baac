"""A small reference implementation of the pusher-vectors/v1 suites, Python 3 standard library only.

PyNaCl is used for secretbox when it is installed; without it the tests that need secretbox are skipped.

Every suite function takes ``(group, input)`` and returns an outcome, the same shape as ``vectors/run.ts``:

* ``{"ok": True, "value": {...}}`` with the fields the vectors list in ``expected``;
* ``{"ok": False, "code": "ERR_...", "stage": "input" | "parse" | "auth" | "decrypt", "message": optional}``;
* ``SKIP`` (a string) when this implementation cannot run the test (no PyNaCl).

To check another Python library, copy this module, keep ``POLICY`` and ``SUITES`` and make each function call your
library, then run ``run_vectors.py --impl your_module``.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import datetime, timezone

try:  # optional: only secretbox needs it
    import nacl.exceptions
    import nacl.secret

    HAVE_NACL = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_NACL = False

SKIP = "skip: PyNaCl is not installed (apt-get install python3-nacl) so secretbox is unavailable"

# The choices this implementation makes where the vectors say `acceptable` (the same as pusher-edge's).
POLICY = {
    "ArrayParam": "reject",
    "ChannelDataOnNonPresence": "reject",
    "ChannelNameOver164": "accept",
    "ClientEventDataObject": "accept",
    "ContentTypeParams": "accept",
    "DotnetKeyDerivation": "reject",
    "DuplicateParam": "reject",
    "EmptyBodyMd5": "accept",
    "InvalidParamKey": "reject",
    "KeyCaseFolding": "reject",
    "MissingContentType": "reject",
    "NonStringParamValue": "reject",
    "NumericUserId": "reject",
    "PlusAsSpace": "accept",
    "PresenceMissingUserId": "reject",
    "ReservedParam": "reject",
    "UppercaseHex": "accept",
}

_STAGE = {
    "ERR_MISSING_AUTH_PARAM": "auth",
    "ERR_UNSUPPORTED_AUTH_VERSION": "auth",
    "ERR_UNKNOWN_KEY": "auth",
    "ERR_TIMESTAMP_OUT_OF_WINDOW": "auth",
    "ERR_BODY_MD5_MISMATCH": "auth",
    "ERR_SIGNATURE_MALFORMED": "auth",
    "ERR_SIGNATURE_MISMATCH": "auth",
    "ERR_WEBHOOK_CONTENT_TYPE": "auth",
    "ERR_WEBHOOK_BODY_INVALID": "parse",
    "ERR_DECRYPTION_FAILED": "decrypt",
    "ERR_NONCE_INVALID": "decrypt",
}


class Reject(Exception):
    """A failure with a vector error code; the stage follows from the code."""

    def __init__(self, code, message=None):
        super().__init__(code)
        self.code = code
        self.message = message


def _fail(e):
    out = {"ok": False, "code": e.code, "stage": _STAGE.get(e.code, "input")}
    if e.message is not None:
        out["message"] = e.message
    return out


def _outcome(fn):
    def run(group, inp):
        try:
            value = fn(group, inp)
        except Reject as e:
            return _fail(e)
        return value if value == SKIP else {"ok": True, "value": value}

    return run


# --- shared rules -------------------------------------------------------------------------------------------------

# ASCII digits only: Python's \d also matches other scripts' digits (the UnicodeDigits vectors).
SOCKET_ID = re.compile(r"[0-9]+\.[0-9]+")
CHANNEL_CHARS = re.compile(r"[A-Za-z0-9_\-=@,.;]+")
MAX_CHANNEL = 200 if POLICY["ChannelNameOver164"] == "accept" else 164
ENCRYPTED_PREFIX = "private-encrypted-"


def hmac_hex(secret, msg):
    key = secret.encode() if isinstance(secret, str) else secret
    data = msg.encode() if isinstance(msg, str) else msg
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def md5_hex(body):
    return hashlib.md5(body.encode() if isinstance(body, str) else body).hexdigest()


def js_json(value):
    """JSON.stringify: compact, key order kept, non-ASCII as is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def check_socket(socket_id):
    if not isinstance(socket_id, str) or not SOCKET_ID.fullmatch(socket_id):
        raise Reject("ERR_INVALID_SOCKET_ID")


def check_channel(name):
    if not isinstance(name, str) or not CHANNEL_CHARS.fullmatch(name):
        raise Reject("ERR_INVALID_CHANNEL_NAME")
    if len(name) > MAX_CHANNEL:
        raise Reject("ERR_CHANNEL_NAME_TOO_LONG")


def master_key(group):
    b64 = group.get("encryptionMasterKeyB64")
    if b64 is None:
        raise Reject("ERR_ENCRYPTION_KEY_MISSING")
    try:
        key = base64.b64decode(b64, validate=True)
    except binascii.Error:
        raise Reject("ERR_ENCRYPTION_KEY_INVALID")
    if len(key) != 32:
        raise Reject("ERR_ENCRYPTION_KEY_INVALID")
    return key


def shared_secret(channel, key):
    return hashlib.sha256(channel.encode() + key).digest()


def b64(data):
    return base64.b64encode(data).decode()


def seal(channel, key, plaintext, nonce):
    box = nacl.secret.SecretBox(shared_secret(channel, key))
    ciphertext = box.encrypt(plaintext.encode(), nonce).ciphertext
    return js_json({"nonce": b64(nonce), "ciphertext": b64(ciphertext)}), ciphertext


def js_number(v):
    """String(v) for a finite JSON number, as the signer renders numeric param values."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


# --- hmac ----------------------------------------------------------------------------------------------------------


@_outcome
def hmac_suite(group, inp):
    tag = hmac.new(bytes.fromhex(inp["key"]), bytes.fromhex(inp["msg"]), hashlib.sha256).hexdigest()
    tag = tag[: group["tagSize"] // 4]
    if not hmac.compare_digest(tag, inp["tag"]):
        raise Reject("ERR_SIGNATURE_MISMATCH")
    return {"tag": tag}


# --- REST signing ----------------------------------------------------------------------------------------------------

RESERVED = {"auth_key", "auth_timestamp", "auth_version", "auth_signature", "body_md5"}
PARAM_KEY = re.compile(r"[a-z0-9_]+")


def sign_query(cred, method, path, pairs, body, timestamp):
    seen = set()
    rendered = []
    for k, v in pairs:
        if k.lower() in RESERVED:
            raise Reject("ERR_RESERVED_PARAM")
        if not PARAM_KEY.fullmatch(k):
            raise Reject("ERR_INVALID_PARAM")
        if isinstance(v, bool) or not isinstance(v, (str, int, float)) or v != v or v in (float("inf"), -float("inf")):
            raise Reject("ERR_INVALID_PARAM")
        if k in seen:
            raise Reject("ERR_DUPLICATE_PARAM")
        seen.add(k)
        rendered.append((k, v if isinstance(v, str) else js_number(v)))
    allp = [("auth_key", cred["key"]), ("auth_timestamp", str(timestamp)), ("auth_version", "1.0")]
    body_md5 = md5_hex(body) if body else None
    if body_md5:
        allp.append(("body_md5", body_md5))
    allp += rendered
    allp.sort(key=lambda p: p[0].encode())
    canonical = "&".join(f"{k}={v}" for k, v in allp)
    to_sign = f"{method.upper()}\n{path}\n{canonical}"
    return {
        "body_md5": body_md5,
        "canonical_query": canonical,
        "string_to_sign": to_sign,
        "auth_signature": hmac_hex(cred["secret"], to_sign),
    }


@_outcome
def rest_sign(group, inp):
    pairs = inp.get("params_raw", inp.get("params", []))
    out = sign_query(group["credentials"], inp["method"], inp["path"], pairs, inp["body"], inp["timestamp"])
    out["signed_query"] = f"{out['canonical_query']}&auth_signature={out['auth_signature']}"
    return out


# --- REST verification -----------------------------------------------------------------------------------------------


def _iso(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _form_decode(s):
    from urllib.parse import unquote

    return unquote(s.replace("+", " "), errors="strict")


@_outcome
def rest_verify(group, inp):
    params = {}
    for part in inp["query"].split("&"):
        if not part:
            continue
        k, eq, v = part.partition("=")
        key = _form_decode(k).lower()
        if key in params:
            raise Reject("ERR_DUPLICATE_PARAM")
        params[key] = _form_decode(v) if eq else ""
    for name in ("auth_key", "auth_timestamp", "auth_version", "auth_signature"):
        if not params.get(name):
            raise Reject("ERR_MISSING_AUTH_PARAM")
    if params["auth_version"] != "1.0":
        raise Reject("ERR_UNSUPPORTED_AUTH_VERSION")
    creds = [group["credentials"], *group.get("extraCredentials", [])]
    cred = next((c for c in creds if c["key"] == params["auth_key"]), None)
    if cred is None:
        raise Reject("ERR_UNKNOWN_KEY")
    clock = group["clock"]
    ts_text = params["auth_timestamp"]
    if not re.fullmatch(r"[0-9]{1,15}", ts_text) or abs(clock["now"] - int(ts_text)) >= clock["toleranceSeconds"]:
        shown = _iso(int(ts_text)) if re.fullmatch(r"[0-9]{1,15}", ts_text) else json.dumps(ts_text)
        raise Reject(
            "ERR_TIMESTAMP_OUT_OF_WINDOW",
            f"Timestamp expired: Given timestamp ({shown}) not within {clock['toleranceSeconds']}s "
            f"of server time ({_iso(clock['now'])})",
        )
    body = bytes.fromhex(inp["body_hex"]) if "body_hex" in inp else (inp["body"] or "").encode()
    if body and "body_md5" not in params:
        raise Reject("ERR_MISSING_AUTH_PARAM")
    if "body_md5" in params and params["body_md5"] != md5_hex(body):
        raise Reject("ERR_BODY_MD5_MISMATCH")
    sent = params["auth_signature"]
    canonical = "&".join(
        f"{k}={v}" for k, v in sorted(((k, v) for k, v in params.items() if k != "auth_signature"), key=lambda p: p[0].encode())
    )
    to_sign = f"{inp['method'].upper()}\n{inp['path']}\n{canonical}"
    message = (
        f"Invalid signature: you should have sent HmacSHA256Hex({json.dumps(to_sign)}, your_secret_key), "
        f"but you sent {json.dumps(sent)}"
    )
    if not re.fullmatch(r"[0-9a-fA-F]{64}", sent):
        raise Reject("ERR_SIGNATURE_MALFORMED", message)
    if not hmac.compare_digest(hmac_hex(cred["secret"], to_sign), sent.lower()):
        raise Reject("ERR_SIGNATURE_MISMATCH", message)
    rest = {k: v for k, v in params.items() if not k.startswith("auth_") and k != "body_md5"}
    return {"params": rest}


# --- channel and user auth -------------------------------------------------------------------------------------------


def _json_object(text, code):
    try:
        value = json.loads(text)
    except ValueError:
        raise Reject(code)
    if not isinstance(value, dict):
        raise Reject(code)
    return value


@_outcome
def channel_auth(group, inp):
    socket_id, channel, data = inp["socket_id"], inp["channel_name"], inp.get("channel_data")
    check_socket(socket_id)
    check_channel(channel)
    if channel.startswith("presence-"):
        if data is None:
            raise Reject("ERR_INVALID_CHANNEL_DATA")
        user_id = _json_object(data, "ERR_INVALID_CHANNEL_DATA").get("user_id")
        numeric = POLICY["NumericUserId"] == "accept" and isinstance(user_id, (int, float)) and not isinstance(user_id, bool)
        if not ((isinstance(user_id, str) and user_id) or numeric):
            raise Reject("ERR_INVALID_CHANNEL_DATA")
    elif data is not None:
        raise Reject("ERR_INVALID_CHANNEL_DATA")
    shared = None
    if channel.startswith(ENCRYPTED_PREFIX):
        shared = shared_secret(channel, master_key(group))
    to_sign = ":".join([socket_id, channel] + ([] if data is None else [data]))
    cred = group["credentials"]
    response = {"auth": f"{cred['key']}:{hmac_hex(cred['secret'], to_sign)}"}
    if data is not None:
        response["channel_data"] = data
    out = {"string_to_sign": to_sign, "response": response}
    if shared is not None:
        response["shared_secret"] = b64(shared)
        out["shared_secret_hex"] = shared.hex()
    return out


@_outcome
def user_auth(group, inp):
    socket_id, data = inp["socket_id"], inp["user_data"]
    check_socket(socket_id)
    user_id = _json_object(data, "ERR_INVALID_USER_DATA").get("id")
    if not isinstance(user_id, str) or not user_id:
        raise Reject("ERR_INVALID_USER_DATA")
    to_sign = f"{socket_id}::user::{data}"
    cred = group["credentials"]
    return {
        "string_to_sign": to_sign,
        "response": {"auth": f"{cred['key']}:{hmac_hex(cred['secret'], to_sign)}", "user_data": data},
    }


# --- webhooks --------------------------------------------------------------------------------------------------------


@_outcome
def webhook_verify(group, inp):
    headers = inp["headers"]
    content_type = headers.get("content-type")
    media = None if content_type is None else content_type.split(";")[0].strip().lower()
    if media != "application/json" or (content_type != media and POLICY["ContentTypeParams"] != "accept"):
        raise Reject("ERR_WEBHOOK_CONTENT_TYPE")
    creds = [group["credentials"], *group.get("extraCredentials", [])]
    cred = next((c for c in creds if c["key"] == headers.get("x-pusher-key")), None)
    if cred is None:
        raise Reject("ERR_UNKNOWN_KEY")
    sig = headers.get("x-pusher-signature")
    if sig is None or not re.fullmatch(r"[0-9a-fA-F]{64}", sig):
        raise Reject("ERR_SIGNATURE_MALFORMED")
    body = bytes.fromhex(inp["body_hex"]) if "body_hex" in inp else (inp["body"] or "").encode()
    if not hmac.compare_digest(hmac_hex(cred["secret"], body), sig.lower()):
        raise Reject("ERR_SIGNATURE_MISMATCH")
    # The signature holds: from here on, every event is kept whatever its shape (data may be an object).
    try:
        doc = json.loads(body)
    except ValueError:
        raise Reject("ERR_WEBHOOK_BODY_INVALID")
    time_ms = doc.get("time_ms") if isinstance(doc, dict) else None
    events = doc.get("events") if isinstance(doc, dict) else None
    if isinstance(time_ms, bool) or not isinstance(time_ms, (int, float)) or not isinstance(events, list):
        raise Reject("ERR_WEBHOOK_BODY_INVALID")
    return {"time_ms": time_ms, "events": len(events)}


# --- encrypted payloads ----------------------------------------------------------------------------------------------

_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _nonce(text):
    if not isinstance(text, str) or not _B64.fullmatch(text):
        raise Reject("ERR_NONCE_INVALID")
    nonce = base64.b64decode(text)
    if len(nonce) != 24:
        raise Reject("ERR_NONCE_INVALID")
    return nonce


def _encrypted_channel(channel):
    if not channel.startswith(ENCRYPTED_PREFIX) or not CHANNEL_CHARS.fullmatch(channel):
        raise Reject("ERR_NOT_ENCRYPTED_CHANNEL")


@_outcome
def encrypted_payload(group, inp):
    key = master_key(group)
    channel = inp["channel_name"]
    if "data" in inp:
        try:
            wrapper = json.loads(inp["data"])
        except ValueError:
            raise Reject("ERR_NONCE_INVALID")
        if not isinstance(wrapper, dict) or not isinstance(wrapper.get("ciphertext"), str):
            raise Reject("ERR_NONCE_INVALID")
        nonce = _nonce(wrapper.get("nonce"))
        _encrypted_channel(channel)
        if not HAVE_NACL:
            return SKIP
        ciphertext = base64.b64decode(wrapper["ciphertext"])
        if len(ciphertext) < 16:
            raise Reject("ERR_DECRYPTION_FAILED")
        shared = shared_secret(channel, key)
        try:
            plain = nacl.secret.SecretBox(shared).decrypt(ciphertext, nonce)
        except nacl.exceptions.CryptoError:
            raise Reject("ERR_DECRYPTION_FAILED")
        return {"shared_secret_hex": shared.hex(), "plaintext": plain.decode("utf-8")}
    _encrypted_channel(channel)
    nonce = base64.b64decode(inp["nonce_b64"])
    if len(nonce) != 24:
        raise Reject("ERR_NONCE_INVALID")
    if not HAVE_NACL:
        return SKIP
    data, ciphertext = seal(channel, key, inp["plaintext"], nonce)
    return {"shared_secret_hex": shared_secret(channel, key).hex(), "ciphertext_b64": b64(ciphertext), "data": data}


# --- REST requests (a minimal client) --------------------------------------------------------------------------------

MAX_DATA_BYTES = 10240


def _event_data(data, channel, group, inp):
    """The data string sent for one channel: raw strings, JSON otherwise, sealed for encrypted channels."""
    if channel.startswith(ENCRYPTED_PREFIX):
        key_b64 = group.get("encryptionMasterKeyB64") if inp.get("encryptionMasterKeyB64", "") is not None else None
        key = master_key({"encryptionMasterKeyB64": key_b64})
        if not HAVE_NACL:
            return SKIP
        sent, _ = seal(channel, key, js_json(data), base64.b64decode(inp["nonce_b64"]))
    else:
        sent = data if isinstance(data, str) else js_json(data)
    if len(sent.encode()) > MAX_DATA_BYTES:
        raise Reject("ERR_PAYLOAD_TOO_LARGE")
    return sent


def _check_event(name):
    if not isinstance(name, str) or not name:
        raise Reject("ERR_INVALID_EVENT_NAME")
    if len(name) > 200:
        raise Reject("ERR_EVENT_NAME_TOO_LONG")


def _user_id(user_id):
    if not isinstance(user_id, str) or not user_id:
        raise Reject("ERR_INVALID_USER_ID")
    return user_id


def _request(group, inp):
    """Returns (method, path under /apps/<id>, params, body) or SKIP."""
    op, a = inp["operation"], inp["args"]
    if op == "trigger":
        channels = a["channels"] if isinstance(a["channels"], list) else [a["channels"]]
        if len(channels) > 100:
            raise Reject("ERR_TOO_MANY_CHANNELS")
        _check_event(a["event"])
        for c in channels:
            check_channel(c)
        params = a.get("params", {})
        if "socket_id" in params:
            check_socket(params["socket_id"])
        if len(channels) > 1 and any(c.startswith(ENCRYPTED_PREFIX) for c in channels):
            raise Reject("ERR_ENCRYPTED_MULTI_CHANNEL")
        data = _event_data(a["data"], channels[0], group, inp)
        if data == SKIP:
            return SKIP
        return "POST", "/events", {}, js_json({"name": a["event"], "data": data, "channels": channels, **params})
    if op == "triggerBatch":
        if len(a["batch"]) > 10:
            raise Reject("ERR_BATCH_TOO_LARGE")
        items = []
        for item in a["batch"]:
            check_channel(item["channel"])
            _check_event(item["name"])
            if "socket_id" in item:
                check_socket(item["socket_id"])
            data = _event_data(item["data"], item["channel"], group, inp)
            if data == SKIP:
                return SKIP
            items.append({k: (data if k == "data" else v) for k, v in item.items()})
        return "POST", "/batch_events", {}, js_json({"batch": items})
    if op == "sendToUser":
        channel = f"#server-to-user-{_user_id(a['user_id'])}"
        _check_event(a["event"])
        data = _event_data(a["data"], channel, group, inp)
        return "POST", "/events", {}, js_json({"name": a["event"], "data": data, "channels": [channel]})
    if op == "terminateUserConnections":
        return "POST", f"/users/{_user_id(a['user_id'])}/terminate_connections", {}, "{}"
    if op == "channels":
        params = {}
        if "prefix" in a:
            params["filter_by_prefix"] = a["prefix"]
        if "info" in a:
            params["info"] = a["info"]
        return "GET", "/channels", params, None
    if op == "channel":
        check_channel(a["channel"])
        return "GET", f"/channels/{a['channel']}", ({"info": a["info"]} if "info" in a else {}), None
    if op == "users":
        check_channel(a["channel"])
        if not a["channel"].startswith("presence-"):
            raise Reject("ERR_INVALID_CHANNEL_NAME")
        return "GET", f"/channels/{a['channel']}/users", {}, None
    if op == "get":
        return "GET", a["path"], a.get("params", {}), None
    if op == "post":
        return "POST", a["path"], {}, js_json(a["body"])
    raise ValueError(f"unknown operation {op}")


@_outcome
def rest_request(group, inp):
    req = _request(group, inp)
    if req == SKIP:
        return SKIP
    method, sub, params, body = req
    path = f"/apps/{group['credentials']['app_id']}{sub}"
    signed = sign_query(group["credentials"], method, path, list(params.items()), body, inp["timestamp"])
    return {"method": method, "path": path, "body": body, **signed}


SUITES = {
    "hmac": hmac_suite,
    "rest-sign": rest_sign,
    "rest-verify": rest_verify,
    "channel-auth": channel_auth,
    "user-auth": user_auth,
    "webhook-verify": webhook_verify,
    "encrypted-payload": encrypted_payload,
    "rest-request": rest_request,
}
