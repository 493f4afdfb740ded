"""Send what a deploy published to chat and webhook endpoints.

The payloads come from `announce.changes` (pure); this module turns them into each service's
message format, checks the targets and posts. A target's URL is a secret (whoever has it can
post to the channel), so nothing here ever prints it, not even part of it in an error: a
problem is told by the environment variable's name and what is wrong.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .changes import key as announce_key

JsonObj = dict[str, Any]

#: Environment variable -> service; set them as secrets of the notify job's environment.
TARGETS = {
    "STATUSBOOK_SLACK_WEBHOOK": "slack",
    "STATUSBOOK_DISCORD_WEBHOOK": "discord",
    "STATUSBOOK_TEAMS_WEBHOOK": "teams",
    "STATUSBOOK_WEBHOOK_URL": "json",
}


def headline(payload: JsonObj) -> tuple[str, str, str]:
    """(title, text, link) for one payload, in plain words."""
    if "overdue_update" in payload:
        notice = payload["overdue_update"]
        promised = str(notice["promised_at"])[:16].replace("T", " ")
        text = f"The next update was promised by {promised} UTC and has not been posted yet."
        return f"[Update overdue] {notice['name']}", text, str(notice.get("shortlink") or "")
    if "incident" in payload:
        incident = payload["incident"]
        update = incident["incident_updates"][0] if incident["incident_updates"] else {}
        state = str(update.get("status") or incident["status"]).replace("_", " ")
        kind = "Maintenance" if incident["impact"] == "maintenance" else "Incident"
        title = f"[{state.capitalize()}] {incident['name']}"
        names = [c["name"] for c in incident.get("components", [])]
        text = str(update.get("body", "")).strip()
        if names:
            text += f"\n{kind} affecting: {', '.join(names)}"
        return title, text, str(incident.get("shortlink") or "")
    component = payload["component"]
    change = payload["component_update"]
    old = str(change["old_status"]).replace("_", " ")
    new = str(change["new_status"]).replace("_", " ")
    return f"{component['name']}: {new}", f"Was {old}.", ""


def message_for(service: str, payload: JsonObj) -> JsonObj:
    """The body each service's incoming webhook expects."""
    if service == "json":
        return payload
    title, text, link = headline(payload)
    if service == "slack":
        body = f"*{title}*\n{text}" + (f"\n<{link}|Details>" if link else "")
        return {"text": body}
    if service == "discord":
        body = f"**{title}**\n{text}" + (f"\n{link}" if link else "")
        return {"content": body[:2000], "allowed_mentions": {"parse": []}}
    if service == "teams":
        card: JsonObj = {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True},
                {"type": "TextBlock", "text": text, "wrap": True},
            ],
        }
        if link:
            card["actions"] = [{"type": "Action.OpenUrl", "title": "Details", "url": link}]
        return {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
    raise ValueError(service)


# --- targets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    variable: str  # the environment variable: the only name a target is ever reported by
    service: str
    url: str


#: Hosts a webhook may be reached on over plain http: a receiver on this machine (tests, a
#: local relay). Anything else must be https, since the URL and the messages would otherwise
#: cross the network readable by anyone on the path.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def url_problem(value: str) -> str | None:
    """What is wrong with a target URL, in words that never quote any of it; None if usable."""
    if not value.strip():
        return "is only whitespace"
    for char in value:
        if char in "\r\n":
            return "contains a line break (paste the URL again, without a trailing newline)"
        if char.isspace():
            return "contains a space or other blank character"
        if unicodedata.category(char) in ("Cc", "Cf"):
            return "contains a control character"
        if not char.isascii():
            return "contains a non-ASCII character (percent-encode it)"
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return "has a port that is not a number"
    if scheme not in ("https", "http"):
        return "does not start with https://"
    if not host:
        return "has no host after the scheme"
    if parts.username is not None or parts.password is not None:
        return "has a user name or password before the host"
    if scheme == "http" and host not in LOCAL_HOSTS:
        return "uses http://; webhooks must use https:// (http only on 127.0.0.1 or localhost)"
    return None


def targets_from_env(env: Mapping[str, str] | None = None) -> tuple[list[Target], list[str]]:
    """The configured targets and one problem line per malformed one.

    A variable that is unset or empty is not configured: GitHub passes a secret that does not
    exist as an empty string, so a workflow can name all four and set only the ones it uses.
    """
    env = os.environ if env is None else env
    targets, problems = [], []
    for variable, service in TARGETS.items():
        value = env.get(variable, "")
        if value == "":
            continue
        problem = url_problem(value)
        if problem is None:
            targets.append(Target(variable, service, value))
        else:
            problems.append(f"{variable}: the URL {problem}; nothing was sent to it")
    return targets, problems


# --- sending -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """What happened to one target: how many messages it took, and why it stopped if it did.

    `skipped` counts the messages an earlier attempt already delivered (the journal)."""

    variable: str
    sent: int
    total: int
    error: str | None = None
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        before = f", {self.skipped} delivered by an earlier attempt" if self.skipped else ""
        if self.ok:
            return f"sent   {self.variable}: {self.sent} message(s){before}"
        done = self.skipped + self.sent
        return (
            f"FAILED {self.variable}: {self.error} at message {done + 1} of {self.total} "
            f"({self.sent} sent before it{before})"
        )


Poster = Callable[[str, bytes], int]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A webhook that redirects is misconfigured; urllib would resend a POST as a GET to the new
    # place and call it a success, so the redirect is reported as its status instead.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with _OPENER.open(request, timeout=15) as response:
        return int(response.status)


def failure(exc: BaseException) -> str:
    """An error in words that cannot hold the URL: the status, or the class of the error."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return type(exc.reason).__name__
    return type(exc).__name__


#: Called after each message a target accepted: (the target's variable, the payload's key).
Recorder = Callable[[str, str], None]


def deliver(
    payloads: list[JsonObj],
    targets: list[Target],
    post: Poster = post_json,
    delivered: Collection[tuple[str, str]] = (),
    record: Recorder | None = None,
) -> list[Delivery]:
    """Post every payload, in order, to every target; a target stops at its first failure
    (later messages would arrive out of order) and the others go on. Never raises.

    A (variable, key) pair in `delivered` was taken by that target in an earlier attempt and is
    not sent again; `record` hears of each new one as soon as the target accepts it."""
    results = []
    journaled = bool(delivered) or record is not None
    for target in targets:
        sent, skipped, error = 0, 0, None
        for payload in payloads:
            ident = announce_key(payload) if journaled else ""
            if journaled and (target.variable, ident) in delivered:
                skipped += 1
                continue
            body = json.dumps(message_for(target.service, payload), ensure_ascii=False)
            try:
                code = post(target.url, body.encode("utf-8"))
            except Exception as exc:  # noqa: BLE001 - any error is reported by its class only
                error = failure(exc)
            else:
                error = None if 200 <= code < 300 else f"HTTP {code}"
            if error is not None:
                break
            sent += 1
            if record is not None:
                record(target.variable, ident)
        results.append(Delivery(target.variable, sent, len(payloads), error, skipped))
    return results


# --- the journal of deliveries -----------------------------------------------------------------
#
# A rerun of the notify job reads the same two states and so computes the same payloads; the
# journal is what keeps a target that took them the first time from getting them twice. Each
# attempt appends "VARIABLE KEY" lines to a file of its own in the journal folder (the workflow
# saves the folder as an artifact per attempt and a rerun downloads them all into one folder).


def read_journal(folder: Path) -> set[tuple[str, str]]:
    """Every (variable, key) an earlier attempt delivered; an absent folder is an empty one."""
    pairs: set[tuple[str, str]] = set()
    if not folder.is_dir():
        return pairs
    for path in sorted(folder.glob("delivered-*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            variable, _, ident = line.partition(" ")
            if variable in TARGETS and ident:
                pairs.add((variable, ident))
    return pairs


def journal_writer(folder: Path) -> Recorder:
    """A recorder that appends to a new file in `folder`, flushed line by line, so a job
    cancelled midway still leaves what it delivered."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"delivered-{time.time_ns()}-{os.getpid()}.txt"

    def record(variable: str, ident: str) -> None:
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{variable} {ident}\n")

    return record


# --- the live site's state ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """The live state.json's bytes, or None with why (`missing`: the site has no such file)."""

    data: bytes | None
    missing: bool = False
    error: str = ""


Getter = Callable[[str], bytes]


def get(url: str) -> bytes:
    # Ask every cache on the way for the file as it is now: an older copy from a CDN would
    # make this run announce again what the previous run announced.
    request = urllib.request.Request(
        url, headers={"Cache-Control": "no-cache", "Pragma": "no-cache"}
    )
    with _OPENER.open(request, timeout=30) as response:
        return bytes(response.read())


def fetch_state(
    url: str, *, attempts: int = 3, get: Getter = get, wait: Callable[[float], None] | None = None
) -> Fetched:
    """GET `url`, retrying a failure that may pass (network, 5xx); a 404 or 410 is an answer."""
    wait = wait or time.sleep
    error = ""
    for attempt in range(max(attempts, 1)):
        if attempt:
            wait(2.0 * attempt)
        try:
            return Fetched(get(url))
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                return Fetched(None, missing=True, error=f"HTTP {exc.code}")
            error = f"HTTP {exc.code}"
            if exc.code < 500 and exc.code != 429:
                break
        except Exception as exc:  # noqa: BLE001 - reported by class, as for targets
            error = failure(exc)
    return Fetched(None, error=error)
