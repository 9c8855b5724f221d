"""Decoding an HTML body as a browser would: Content-Type, BOM, ``<meta charset>``, detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html", "decode_html_noting"]

_PRESCAN = 4096
"""Bytes searched for a ``<meta charset>``, like a browser's prescan (a bit more generous)."""
_DETECT_SAMPLE = 64 * 1024

_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_ALIASES = {
    # WHATWG Encoding Standard: labels browsers map to a superset.
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown (or not ASCII-compatible)."""
    if not label:
        return None
    name = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if info.name.startswith("utf-16") or info.name.startswith("utf-32"):
        # A page that *declares* UTF-16 in ASCII bytes cannot be UTF-16 (WHATWG: use UTF-8).
        return "utf-8"
    return info.name


def _is_utf8(data: bytes) -> bool:
    """Valid UTF-8, tolerating a multi-byte character cut by the end of the prefix."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


_SINGLE_BYTE = ("cp125", "iso8859", "latin", "koi8", "mac-", "mac_", "cp874", "cp437", "cp850", "cp866", "tis")
"""Python codec names of single-byte charsets: every byte string decodes in them, so a label of one
says nothing about a body that is valid multi-byte UTF-8."""


def decode_html(body: bytes, content_type_header: str | None = None) -> tuple[str, str]:
    """Decode an HTML body as a browser would; returns ``(text, charset)`` (see ``decode_html_noting``)."""
    text, charset, _ = decode_html_noting(body, content_type_header)
    return text, charset


def decode_html_noting(body: bytes, content_type_header: str | None = None) -> tuple[str, str, str | None]:
    """``(text, charset, note)``: the note says when a declared charset was overruled.

    A single-byte label (``iso-8859-1``, ``windows-1252`` …) on a body that is valid UTF-8 with
    multi-byte sequences is a mis-declaration (the server's default, a CMS that writes UTF-8
    anyway): read as declared it is mojibake ("Ãœber"). Such a body is read as UTF-8, and the
    note (``charset_corrected:iso-8859-1->utf-8``) goes into the evidence. Any other declaration
    keeps its precedence.
    """
    text, charset = _decode(body, content_type_header)
    if charset.startswith(_SINGLE_BYTE) and _has_multibyte_utf8(body):
        declared = _declared_label(body, content_type_header) or charset
        return body.decode("utf-8", "replace"), "utf-8", f"charset_corrected:{declared}->utf-8"
    return text, charset, None


def _declared_label(body: bytes, content_type_header: str | None) -> str | None:
    if m := _CHARSET_PARAM.search(content_type_header or ""):
        return m.group(1).strip().lower()
    if m2 := _META_CHARSET.search(body[:_PRESCAN]):
        return m2.group(1).decode("ascii", "replace").strip().lower()
    return None


def _has_multibyte_utf8(body: bytes) -> bool:
    """Valid UTF-8 (a character cut by the end of the prefix allowed) with at least one non-ASCII byte."""
    return not body.isascii() and _is_utf8(body)


def _decode(body: bytes, content_type_header: str | None = None) -> tuple[str, str]:
    """Decode an HTML body as a browser would; returns ``(text, charset)``.

    Order: Content-Type charset, BOM, ``<meta charset>``/``http-equiv`` in the first bytes, then
    detection (valid UTF-8 first: it is never a false positive in practice; then
    charset-normalizer on a sample), then UTF-8 with replacement characters.
    """
    charset = _codec(m.group(1)) if (m := _CHARSET_PARAM.search(content_type_header or "")) else None
    if charset is None:
        for bom, name in _BOMS:
            if body.startswith(bom):
                return body[len(bom) :].decode(name, "replace"), name
    if charset is None and (m2 := _META_CHARSET.search(body[:_PRESCAN])):
        charset = _codec(m2.group(1).decode("ascii", "replace"))
    if charset is None:
        charset = _detect(body)
    try:
        return body.decode(charset, "replace"), charset
    except (LookupError, ValueError):  # a codec that cannot decode with "replace"
        return body.decode("utf-8", "replace"), "utf-8"


def _detect(body: bytes) -> str:
    if _is_utf8(body):
        return "utf-8"
    try:
        matches = from_bytes(body[:_DETECT_SAMPLE])
        best = matches.best()
    except Exception:  # noqa: BLE001 - detection is a guess; never let it break a run
        best = None
    if best is not None and any(
        m.encoding == "cp1252" and (m.chaos, m.coherence) == (best.chaos, best.coherence) for m in matches
    ):
        return "cp1252"  # a tie (short Latin text): windows-1252 is what browsers assume, and the commonest
    codec = _codec(best.encoding) if best is not None else None
    return codec or "utf-8"

