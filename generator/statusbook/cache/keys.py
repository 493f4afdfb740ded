"""Keys for cached results, as digests of what the results are made from.

A key must change whenever anything the result shows changes, and must not change between
runs, processes or machines for the same content. `repr()` of model objects promises neither
(a class may define a short one; a float's or a set's may vary), so values are encoded here
field by field, each part tagged with its type and its length, into one BLAKE2b digest. A type
this module does not know is an error rather than a silent `repr()`: a new kind of field must
be given an encoding before it can be part of a key.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import operator
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

Encoder = Callable[[Any, list[bytes]], None]


def digest_of(*parts: Any) -> bytes:
    """A 16-byte digest of `parts`: equal for equal content, different for different."""
    out: list[bytes] = []
    _encode(parts, out)
    return hashlib.blake2b(b"".join(out), digest_size=16).digest()


def _text(tag: bytes, data: bytes, out: list[bytes]) -> None:
    # Length first: "ab" + "c" and "a" + "bc" must not meet.
    out.append(tag + len(data).to_bytes(4, "big") + data)


def _str(value: str, out: list[bytes]) -> None:
    data = value.encode("utf-8", "surrogatepass")
    out.append(b"s" + len(data).to_bytes(4, "big") + data)


def _bytes(value: bytes, out: list[bytes]) -> None:
    _text(b"b", bytes(value), out)


def _int(value: int, out: list[bytes]) -> None:
    _text(b"i", str(value).encode(), out)


def _float(value: float, out: list[bytes]) -> None:
    _text(b"f", value.hex().encode(), out)


def _none(value: None, out: list[bytes]) -> None:
    out.append(b"N")


def _bool(value: bool, out: list[bytes]) -> None:
    out.append(b"T" if value else b"F")


def _datetime(value: datetime, out: list[bytes]) -> None:
    # The zone's name too: two zones with one offset today may show different days.
    zone = "" if value.tzinfo is None else f"{type(value.tzinfo).__name__}:{value.tzinfo}"
    _text(b"d", f"{value.isoformat()} {zone}".encode(), out)


def _iso(value: date | time, out: list[bytes]) -> None:
    _text(b"D", f"{type(value).__name__}:{value.isoformat()}".encode(), out)


def _timedelta(value: timedelta, out: list[bytes]) -> None:
    _text(b"t", f"{value.days} {value.seconds} {value.microseconds}".encode(), out)


def _sequence(value: tuple[Any, ...] | list[Any], out: list[bytes]) -> None:
    out.append(b"(" + len(value).to_bytes(4, "big"))
    _items_of(value, out)


def _items_of(values: Any, out: list[bytes]) -> None:
    """Each value encoded in turn: text, the most common, inline (a third of the time)."""
    for item in values:
        kind = type(item)
        if kind is str:
            data = item.encode("utf-8", "surrogatepass")
            out.append(b"s" + len(data).to_bytes(4, "big") + data)
            continue
        encoder = _ENCODERS.get(kind)
        if encoder is None:
            encoder = _ENCODERS[kind] = _encoder_for(kind)
        encoder(item, out)


def _set(value: frozenset[Any] | set[Any], out: list[bytes]) -> None:
    # Iteration order of a set of strings changes with hash randomisation: sort the encodings.
    encoded = []
    for item in value:
        part: list[bytes] = []
        _encode(item, part)
        encoded.append(b"".join(part))
    _sequence(sorted(encoded), out)


def _dict(value: dict[Any, Any], out: list[bytes]) -> None:
    _sequence(sorted(_items(value)), out)


def _items(value: dict[Any, Any]) -> set[bytes]:
    found = set()
    for item in value.items():
        part: list[bytes] = []
        _encode(item, part)
        found.add(b"".join(part))
    return found


_ENCODERS: dict[type, Encoder] = {
    str: _str,
    bytes: _bytes,
    int: _int,
    float: _float,
    bool: _bool,
    type(None): _none,
    datetime: _datetime,
    date: _iso,
    time: _iso,
    timedelta: _timedelta,
    tuple: _sequence,
    list: _sequence,
    frozenset: _set,
    set: _set,
    dict: _dict,
}


def _encode(value: Any, out: list[bytes]) -> None:
    kind = type(value)
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        encoder = _ENCODERS[kind] = _encoder_for(kind)
    encoder(value, out)


def _encoder_for(kind: type) -> Encoder:
    """How to encode a type met for the first time: an enum by its class and value, a
    dataclass by its class and fields in order; anything else is refused."""
    name = f"{kind.__module__}.{kind.__qualname__}".encode()
    if issubclass(kind, enum.Enum):

        def encode_enum(value: Any, out: list[bytes]) -> None:
            _text(b"e", name, out)
            _encode(value.value, out)

        return encode_enum
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        header = b"c" + len(name).to_bytes(4, "big") + name
        fields_of = operator.attrgetter(*names) if len(names) > 1 else None

        def encode_dataclass(value: Any, out: list[bytes]) -> None:
            out.append(header)
            if fields_of is not None:
                _items_of(fields_of(value), out)
            else:
                _items_of([getattr(value, n) for n in names], out)

        return encode_dataclass
    for base, encoder in list(_ENCODERS.items()):
        if issubclass(kind, base) and base is not type(None):
            # A subclass of str, int, tuple ... (a NamedTuple): by its class and its value.
            def encode_subclass(value: Any, out: list[bytes], encoder: Encoder = encoder) -> None:
                _text(b"x", name, out)
                encoder(value, out)

            return encode_subclass
    raise TypeError(f"no key encoding for {kind.__qualname__}: add one in cache/keys.py")
