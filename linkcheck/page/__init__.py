"""Page facts: what a fetched body (HTML or PDF) says about itself, as a ``Page``. No verdicts.

``parse_page(fetch) -> Page`` reads title candidates (``<title>``, ``og:title``, ``twitter:title``,
``citation_title``, ``dc.title``, JSON-LD ``headline``/``name``, the first ``<h1>``; for PDFs the
metadata title, XMP ``dc:title`` or the largest text on page 1), the publisher, every anchor, a
few KB of visible text and the language. Modules: ``charset`` (decoding), ``html`` (the one-pass
parser and the ``<title>`` search), ``jsonld``, ``pdf``, ``text`` (clean-up and caps).
"""

from __future__ import annotations

from ..models import Fetch, Page
from .charset import decode_html
from .html import DEFAULT_MAX_PARSE, DEFAULT_MAX_TEXT, parse_html, primary_language
from .pdf import parse_pdf

__all__ = ["DEFAULT_MAX_PARSE", "DEFAULT_MAX_TEXT", "decode_html", "is_html_fetch", "is_pdf_fetch", "parse_page"]


def is_html_fetch(fetch: Fetch) -> bool:
    ctype = fetch.content_type
    if ctype in ("text/html", "application/xhtml+xml"):
        return True
    if ctype and ctype not in ("text/plain", "application/octet-stream", "application/xml", "text/xml"):
        return False
    head = fetch.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<title", b"<meta")) or b"<html" in head


def is_pdf_fetch(fetch: Fetch) -> bool:
    return fetch.content_type in ("application/pdf", "application/x-pdf") or fetch.body[:1024].lstrip().startswith(
        b"%PDF"
    )


def parse_page(fetch: Fetch) -> Page:
    """Read what a page body says about itself; never raises (a broken body is an empty ``Page``)."""
    try:
        if is_pdf_fetch(fetch):
            return parse_pdf(fetch)
        if is_html_fetch(fetch):
            return parse_html(fetch)
    except Exception:  # noqa: BLE001 - hostile bodies must never stop a run
        return Page(is_html=is_html_fetch(fetch))
    return Page(language=primary_language(fetch.header("content-language")))

