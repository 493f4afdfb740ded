"""Jinja's compiled templates kept between runs, in signed files (see cache/signing.py).

Jinja's own FileSystemBytecodeCache unpickles and unmarshals whatever file it finds, and a
marshalled code object runs when the template is rendered: these are read only when signed
with our key. The API: https://jinja.palletsprojects.com/en/stable/api/#bytecode-cache
"""

from __future__ import annotations

from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from .store import read_signed, write_signed


class SignedBytecodeCache(BytecodeCache):
    """One file per template in `folder`, used only when its signature verifies."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.bytecode"

    def load_bytecode(self, bucket: Bucket) -> None:
        payload = read_signed(self._path(bucket))
        if payload is not None:
            # Jinja checks the magic and the template's checksum, and resets on a mismatch.
            bucket.bytecode_from_string(payload)  # type: ignore[arg-type]

    def dump_bytecode(self, bucket: Bucket) -> None:
        write_signed(self._path(bucket), bucket.bytecode_to_string())
