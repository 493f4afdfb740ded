"""What every API file shares: the addresses, the ids, the time formats and the JSON encoding.

Output is deterministic: ids are hashes of our ids, times come from content (never the clock,
only `now`), key order is fixed by construction and json.dumps' options are fixed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone
from typing import Any

JsonObj = dict[str, Any]

V2 = "api/v2/"
OWN = "api/statusbook/v1/"


def sp_id(kind: str, key: str) -> str:
    """A 12-character Statuspage-style id, stable for as long as our id does not change.

    Derived from the kind and our own id only (not the site's address), so moving the site to
    another domain keeps every id.
    """
    digest = hashlib.sha256(f"statusbook:{kind}:{key}".encode()).digest()
    # Base32 encodes 5 bytes as 8 characters: the first 10 bytes give the first 16 characters
    # of the whole digest's encoding, for a third of the cost.
    return base64.b32hexencode(digest[:10]).decode("ascii")[:12].lower()


def sp_time(moment: datetime | None) -> str | None:
    """Statuspage's format for a UTC page: milliseconds and a 'Z'."""
    if moment is None:
        return None
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso(moment: datetime | None) -> str | None:
    """Statusbook's own format: whole seconds in UTC, as its schema's `time` pattern says."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def dumps(document: Any, *, pretty: bool = False) -> bytes:
    """The one serialisation every API file uses, so builds are byte-identical."""
    if pretty:
        text = json.dumps(document, ensure_ascii=False, indent=2, separators=(",", ": "))
    else:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
