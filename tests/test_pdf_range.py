"""A large PDF whose metadata sits at its end: one ranged request for the tail finds the title.

The PDF is built with pypdf: a 3 MB embedded file pushes the end far beyond the 1 MiB prefix
read, and an incremental save appends the ``/Info`` dictionary (with ``/Title``) after it, as
editors that "save" a file do.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfWriter

from linkcheck.check import DEFAULT_PDF_TAIL, Checked, inspect_target
from linkcheck.client import DEFAULT_MAX_PDF, Client
from linkcheck.config import Config
from linkcheck.page.pdf import pdf_title, pdf_title_from_parts
from tests.servers import Handler, Request, ScriptedServer, target_for

FAST = Config(timeout=5.0, retries=0)
TITLE = "Annual Report on Range Requests in Practice 2026"
_RANGE = re.compile(r"^bytes=-(\d+)$")


@pytest.fixture(scope="module")
def big_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_attachment("blob.bin", os.urandom(3_000_000))  # incompressible padding
    first = io.BytesIO()
    writer.write(first)
    update = PdfWriter(io.BytesIO(first.getvalue()), incremental=True)
    update.add_metadata({"/Title": TITLE})
    out = io.BytesIO()
    update.write(out)
    data = out.getvalue()
    assert data.rfind(b"/Title") > len(data) - 4096  # the premise: the title is at the very end
    return data


class PdfSite:
    """Serves one PDF; ``ranges`` decides whether it advertises and honours ``bytes=-N``."""

    def __init__(self, data: bytes, *, ranges: bool, honour: bool = True) -> None:
        self.data = data
        self.ranges = ranges
        self.honour = honour
        self.sent: list[int] = []
        """Body bytes handed to the socket, per request."""

    def handler(self) -> Handler:
        async def handle(request: Request, writer: asyncio.StreamWriter) -> None:
            match = _RANGE.match(request.headers.get("range", ""))
            body, status = self.data, "200 OK"
            fields = {"Content-Type": "application/pdf", "Connection": "close"}
            if self.ranges:
                fields["Accept-Ranges"] = "bytes"
            if match and self.ranges and self.honour:
                body = self.data[-int(match.group(1)):]
                status = "206 Partial Content"
                start = len(self.data) - len(body)
                fields["Content-Range"] = f"bytes {start}-{len(self.data) - 1}/{len(self.data)}"
            fields["Content-Length"] = str(len(body))
            head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
            writer.write(head.encode("latin-1"))
            self.sent.append(0)
            for chunk in _chunks(body, 64 * 1024):
                writer.write(chunk)
                await writer.drain()
                self.sent[-1] += len(chunk)

        return handle


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _inspect(site: PdfSite, title: str | None = TITLE) -> tuple[Checked, ScriptedServer]:
    async def scenario() -> tuple[Checked, ScriptedServer]:
        async with ScriptedServer({"/report.pdf": site.handler()}) as server, Client(FAST) as client:
            target = target_for(server.url("/report.pdf"), title=title)
            return await inspect_target(client, target, FAST), server

    return asyncio.run(scenario())


def test_title_at_the_end_is_found_with_one_tail_request(big_pdf: bytes) -> None:
    site = PdfSite(big_pdf, ranges=True)
    checked, server = _inspect(site)
    assert checked.result.title is not None
    assert checked.result.title.found == TITLE
    assert checked.result.title.signal == "pdf:title"
    assert checked.result.title.match is True
    requests = server.requests_to("/report.pdf")
    assert len(requests) == 2
    assert "range" not in requests[0].headers
    assert requests[1].headers["range"] == f"bytes=-{DEFAULT_PDF_TAIL}"
    assert checked.fetch is not None and len(checked.fetch.body) <= DEFAULT_MAX_PDF
    assert site.sent[1] == DEFAULT_PDF_TAIL  # the tail answer, whole, and no more


def test_server_without_ranges_gets_one_request_and_no_title(big_pdf: bytes) -> None:
    site = PdfSite(big_pdf, ranges=False)
    checked, server = _inspect(site)
    assert len(server.requests_to("/report.pdf")) == 1
    assert checked.page is not None and checked.page.is_pdf
    assert checked.page.title is None
    assert checked.result.status == 200


def test_server_that_ignores_the_range_gives_no_title(big_pdf: bytes) -> None:
    """Advertises ranges but answers 200 with the whole file: the answer is not a tail."""
    site = PdfSite(big_pdf, ranges=True, honour=False)
    checked, server = _inspect(site)
    assert len(server.requests_to("/report.pdf")) == 2
    assert checked.page is not None and checked.page.title is None
    assert checked.result.status == 200


def test_small_pdf_read_whole_needs_no_tail_request() -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_metadata({"/Title": TITLE})
    out = io.BytesIO()
    writer.write(out)
    checked, server = _inspect(PdfSite(out.getvalue(), ranges=True))
    assert len(server.requests_to("/report.pdf")) == 1
    assert checked.result.title is not None and checked.result.title.found == TITLE


def test_parts_read_the_title_the_prefix_alone_misses(big_pdf: bytes) -> None:
    prefix = big_pdf[:DEFAULT_MAX_PDF]
    assert pdf_title(prefix) is None
    found = pdf_title_from_parts(prefix, big_pdf[-DEFAULT_PDF_TAIL:], len(big_pdf))
    assert found == ("pdf:title", TITLE)


@pytest.mark.parametrize(
    "tail",
    [b"", b"not a pdf at all" * 100, b"\x00" * 4096, b"trailer\n<< /Root 3 0 R /Info 99 0 R >>\nstartxref\n5\n%%EOF"],
)
def test_parts_that_do_not_fit_give_none(big_pdf: bytes, tail: bytes) -> None:
    assert pdf_title_from_parts(big_pdf[:DEFAULT_MAX_PDF], tail, len(big_pdf)) is None


def test_parts_with_impossible_length_give_none(big_pdf: bytes) -> None:
    assert pdf_title_from_parts(big_pdf[:DEFAULT_MAX_PDF], big_pdf[-DEFAULT_PDF_TAIL:], 10) is None
    assert pdf_title_from_parts(b"junk", big_pdf[-DEFAULT_PDF_TAIL:], len(big_pdf)) is None
