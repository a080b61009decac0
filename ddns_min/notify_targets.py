"""One request per message or ping, by target kind (see ddns_min.notify for when each goes);
loaded only when something is sent.

Webhook placeholders, as the `callback` provider writes them: __DOMAIN__, __RECORDTYPE__ (also
__TYPE__), __IP__, __OLDIP__, __PROVIDER__, __ACTION__, __ERROR__, __EVENT__, __TIMESTAMP__
(Unix seconds), __TIME__ (ISO 8601, UTC); percent-encoded in the URL, as they are in the body's
top-level string values. A webhook is called once per record of the event; the message kinds
send one message per event listing its records.
"""

import time

from ddns_min import compat, log, transport
from ddns_min.errors import APIError

TITLES = {"change": "address changed", "failure": "update failed",
          "recovery": "update works again"}
_HOLDERS = ("__DOMAIN__", "__RECORDTYPE__", "__TYPE__", "__OLDIP__", "__IP__", "__PROVIDER__",
            "__ACTION__", "__ERROR__", "__EVENT__", "__TIMESTAMP__", "__TIME__")


def send(target, event, records, report):
    kind = target["kind"]
    if kind == "webhook":
        for rec in records:
            _webhook(target, event, rec)
        return
    if kind in ("healthchecks", "kuma"):
        _ping(target, event, records)
        return
    title = "ddns_min: " + TITLES[event]
    text = "\n".join([line(event, r) for r in records])
    headers, body, url = {}, None, target["url"]
    if kind == "ntfy":
        headers = {"Title": title, "Content-Type": "text/plain; charset=utf-8",
                   "Tags": "warning" if event == "failure" else "globe_with_meridians"}
        if target.get("token"):
            headers["Authorization"] = "Bearer " + target["token"]
        body = text
    elif kind == "gotify":
        headers = {"Content-Type": "application/json"}
        if target.get("token"):
            headers["X-Gotify-Key"] = target["token"]
        body = compat.json_dumps({"title": target.get("title") or title, "message": text,
                                  "priority": target.get("priority", 8 if event == "failure"
                                                         else 5)})
    else:  # telegram: https://api.telegram.org/bot<TOKEN>/sendMessage?chat_id=<ID>
        url, _, query = url.partition("?")
        fields = {"text": title + "\n" + text}
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            if name:
                fields[name] = _unquote(value)
        headers = {"Content-Type": "application/json"}
        body = compat.json_dumps(fields)
    _call(target, "POST", url, headers, body)


def line(event, rec):
    head = "%s %s: " % (rec["domain"], rec["type"])
    if event == "failure":
        return head + "failed: " + (rec.get("error") or "")
    if event == "recovery":
        return head + "works again, %s (%s)" % (rec.get("ip"), rec.get("provider"))
    if rec.get("old_ip") and rec["old_ip"] != rec.get("ip"):
        return head + "%s -> %s (%s)" % (rec["old_ip"], rec.get("ip"), rec.get("provider"))
    return head + "%s %s (%s)" % (rec["action"], rec.get("ip"), rec.get("provider"))


def _values(event, rec):
    now = time.time()
    return {"__DOMAIN__": rec["domain"], "__RECORDTYPE__": rec["type"], "__TYPE__": rec["type"],
            "__OLDIP__": rec.get("old_ip") or "", "__IP__": rec.get("ip") or "",
            "__PROVIDER__": rec.get("provider") or "", "__ACTION__": rec["action"],
            "__ERROR__": rec.get("error") or "", "__EVENT__": event,
            "__TIMESTAMP__": str(int(now)), "__TIME__": log.timestamp(now)}


def _fill(text, values, quote):
    for key in _HOLDERS:
        if key in text:
            text = text.replace(key, compat.quote(values[key]) if quote else values[key])
    return text


def _webhook(target, event, rec):
    values = _values(event, rec)
    url = _fill(target["url"], values, True)
    if target["method"] == "GET":
        _call(target, "GET", url, {}, None)
        return
    body = target.get("body")
    if body is None:
        body = {"event": "__EVENT__", "domain": "__DOMAIN__", "type": "__TYPE__", "ip": "__IP__",
                "old_ip": "__OLDIP__", "action": "__ACTION__", "provider": "__PROVIDER__",
                "error": "__ERROR__", "time": "__TIME__"}
    filled = {}
    for key in body:
        value = body[key]
        if isinstance(value, (str, compat.text_type)):
            value = _fill(compat.to_native(value), values, False)
        filled[key] = value
    _call(target, "POST", url, {"Content-Type": "application/json"}, compat.json_dumps(filled))


def _ping(target, event, records):
    url, _, query = target["url"].partition("?")
    failed = [line("failure", r) for r in records if r["action"] == "failed"]
    summary = "\n".join(failed) or ("%d records hold their address" % len(records))
    if target["kind"] == "healthchecks":
        # https://healthchecks.io/docs/http_api/: /start, success, /fail; the body is logged
        url = url.rstrip("/") + ("/fail" if event == "fail" else "/start" if event == "start"
                                 else "")
        _call(target, "POST", url + ("?" + query if query else ""),
              {"Content-Type": "text/plain; charset=utf-8"}, summary[:10000])
        return
    # Uptime Kuma push monitor: GET /api/push/<token>?status=up|down&msg=...&ping=
    pairs = [p for p in query.split("&") if p and p.partition("=")[0] not in
             ("status", "msg", "ping")]
    pairs += ["status=" + ("down" if event == "fail" else "up"),
              "msg=" + compat.quote(summary.split("\n")[0][:200]), "ping="]
    _call(target, "GET", url + "?" + "&".join(pairs), {}, None)


class Refused(APIError):
    """A 4xx other than 429: the target will answer the same to a second try."""


def _call(target, method, url, headers, body):
    from ddns_min.notify import TIMEOUT
    status, _, text = transport.request(method, url, headers, body, timeout=TIMEOUT)
    if not 200 <= status < 300:
        kind = Refused if 400 <= status < 500 and status != 429 else APIError
        raise kind("%s answered HTTP %s: %s" % (target["host"], status,
                                                " ".join(text.split())[:80]))


def _unquote(text):
    """'%40chan' -> '@chan' (a Telegram chat id written in the URL's query)."""
    parts = text.replace("+", " ").split("%")
    out = parts[0]
    for part in parts[1:]:
        try:
            out += chr(int(part[:2], 16)) + part[2:]
        except ValueError:
            out += "%" + part
    return out
