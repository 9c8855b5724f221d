"""Content decoders with an output cap on every step.

httpx decodes ``gzip``/``deflate``/``br`` for us, but only after a network read: one 64 KiB read of
a decompression bomb can expand to gigabytes. These decoders take a ``limit`` on every call and
never produce more, so a bomb costs at most the cap.
"""

from __future__ import annotations

import zlib
from typing import Any, Protocol

__all__ = ["Decoder", "decoder_for"]


class Decoder(Protocol):
    def decode(self, data: bytes, limit: int) -> bytes: ...

    def flush(self, limit: int) -> bytes: ...


class _Identity:
    def decode(self, data: bytes, limit: int) -> bytes:
        return data[: max(0, limit)]

    def flush(self, limit: int) -> bytes:
        return b""


class _Zlib:
    """gzip or deflate with an output limit on every call (decompression bombs stop at the cap)."""

    def __init__(self, wbits: int, *, fallback_wbits: int | None = None) -> None:
        self._wbits = wbits
        self._fallback = fallback_wbits
        self._obj = zlib.decompressobj(wbits)
        self._started = False

    def decode(self, data: bytes, limit: int) -> bytes:
        if limit <= 0:
            return b""
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error:
            if self._started or self._fallback is None:
                raise
            # "deflate" is sent both zlib-wrapped (per RFC) and raw (per common practice).
            self._obj = zlib.decompressobj(self._fallback)
            out = self._obj.decompress(data, limit)
        self._started = True
        return out

    def flush(self, limit: int) -> bytes:
        return self._obj.flush()[: max(0, limit)] if limit > 0 else b""


class _Brotli:
    def __init__(self) -> None:
        import brotli

        self._obj: Any = brotli.Decompressor()

    def decode(self, data: bytes, limit: int) -> bytes:
        if limit <= 0:
            return b""
        try:
            out = self._obj.process(data, output_buffer_limit=limit)
        except TypeError:  # brotli < 1.2 has no output limit
            out = self._obj.process(data)
        return bytes(out[:limit])

    def flush(self, limit: int) -> bytes:
        return b""


class _Chained:
    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def decode(self, data: bytes, limit: int) -> bytes:
        for decoder in self._decoders:
            data = decoder.decode(data, limit)
        return data

    def flush(self, limit: int) -> bytes:
        return b""


def decoder_for(content_encoding: str) -> Decoder:
    """Decoders for ``Content-Encoding`` (applied in reverse order of listing)."""
    decoders: list[Decoder] = []
    for name in reversed([part.strip().lower() for part in content_encoding.split(",") if part.strip()]):
        if name in ("gzip", "x-gzip"):
            decoders.append(_Zlib(16 + zlib.MAX_WBITS))
        elif name == "deflate":
            decoders.append(_Zlib(zlib.MAX_WBITS, fallback_wbits=-zlib.MAX_WBITS))
        elif name == "br":
            decoders.append(_Brotli())
        # Anything else ("identity", misconfigured "utf-8" …) is passed through, as browsers do.
    if not decoders:
        return _Identity()
    return decoders[0] if len(decoders) == 1 else _Chained(decoders)
