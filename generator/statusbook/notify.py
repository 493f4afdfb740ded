"""Send what changed since the last deploy to chat and webhook endpoints.

The payloads come from `webhooks.changes` (pure, Statuspage-shaped); this module only turns
them into each service's message format and posts them. What counts as "already sent" is the
content at the commit before the push: the same update is never announced twice, because an
update that existed then is never new again.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

JsonObj = dict[str, Any]

#: Environment variable -> service; set them as repository secrets.
TARGETS = {
    "STATUSBOOK_SLACK_WEBHOOK": "slack",
    "STATUSBOOK_DISCORD_WEBHOOK": "discord",
    "STATUSBOOK_TEAMS_WEBHOOK": "teams",
    "STATUSBOOK_WEBHOOK_URL": "json",
}


def headline(payload: JsonObj) -> tuple[str, str, str]:
    """(title, text, link) for one payload, in plain words."""
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


@dataclass(frozen=True)
class Delivery:
    service: str
    title: str
    ok: bool
    detail: str = ""


Poster = Callable[[str, bytes], int]


def post_json(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - configured URL
        return int(response.status)


def deliver(
    payloads: list[JsonObj], targets: dict[str, str], post: Poster = post_json
) -> list[Delivery]:
    """Post every payload to every target (service -> URL); failures are reported, not raised."""
    results = []
    for payload in payloads:
        title = headline(payload)[0]
        for service, url in sorted(targets.items()):
            body = json.dumps(message_for(service, payload), ensure_ascii=False).encode("utf-8")
            try:
                code = post(url, body)
                ok = 200 <= code < 300
                results.append(Delivery(service, title, ok, f"HTTP {code}"))
            except (urllib.error.URLError, OSError, ValueError) as exc:
                results.append(Delivery(service, title, False, str(exc)))
    return results


def targets_from_env(env: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if env is None else env)
    return {service: env[var] for var, service in TARGETS.items() if env.get(var, "").strip()}


# --- the content as it was at a commit ---------------------------------------------------------


class RevisionError(RuntimeError):
    pass


def checkout_content(root: Path, rev: str, content_rel: str, dest: Path) -> datetime:
    """Extract `content_rel` as of `rev` into dest; returns the commit's time."""

    def git(*args: str) -> bytes:
        try:
            return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True).stdout
        except FileNotFoundError as exc:
            raise RevisionError("git is not installed") from exc
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode("utf-8", "replace").strip()
            raise RevisionError(
                f"git could not read {rev}: {message} (a shallow clone? check out with "
                "fetch-depth: 0)"
            ) from exc

    stamp = git("show", "-s", "--format=%ct", rev).decode().strip()
    archive = git("archive", "--format=tar", rev, "--", content_rel)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return datetime.fromtimestamp(int(stamp), timezone.utc)
