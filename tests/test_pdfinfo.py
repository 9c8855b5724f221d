"""PDF titles from bytes: metadata, XMP, the largest text of page 1, junk and broken files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from pypdf.xmp import XmpInformation

from linkcheck.page.pdf import is_junk_title, pdf_title


def build_pdf(*, title: str | None = None, xmp_title: str | None = None, content: bytes | None = None) -> bytes:
    """A one-page PDF written by pypdf; ``content`` is a raw content stream using font /F1."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    if content is not None:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream)
    if title is not None:
        writer.add_metadata({"/Title": title})
    if xmp_title is not None:
        xmp = XmpInformation.create()
        xmp.dc_title = {"x-default": xmp_title}
        writer.xmp_metadata = xmp
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


COVER = (
    b"BT /F1 10 Tf 72 800 Td (Council of the European Union - Brussels, 12 May 2022) Tj ET\n"
    b"BT /F1 24 Tf 72 700 Td (Japan-EU Digital Partnership) Tj ET\n"
    b"BT /F1 10 Tf 72 650 Td (The European Union and Japan, sharing values of democracy) Tj ET\n"
)


def test_metadata_title() -> None:
    assert pdf_title(build_pdf(title="Japan-EU Digital Partnership", content=COVER)) == (
        "pdf:title",
        "Japan-EU Digital Partnership",
    )


def test_xmp_title_when_no_info_title() -> None:
    assert pdf_title(build_pdf(xmp_title="EU-Japan Green Alliance")) == ("pdf:xmp", "EU-Japan Green Alliance")


def test_junk_metadata_title_gives_way_to_xmp() -> None:
    data = build_pdf(title="Microsoft Word - jp-eu digital partnership clean final.docx", xmp_title="Digital Partnership")
    assert pdf_title(data) == ("pdf:xmp", "Digital Partnership")


def test_largest_text_on_the_first_page() -> None:
    assert pdf_title(build_pdf(content=COVER)) == ("pdf:text", "Japan-EU Digital Partnership")


def test_largest_text_counts_the_text_matrix_scale() -> None:
    content = (
        b"BT /F1 12 Tf 72 800 Td (Small heading set at twelve points) Tj ET\n"
        b"BT /F1 1 Tf 3 0 0 3 72 700 Tm (Scaled title text) Tj ET\n"  # size 1 × scale 3 = 3 points
        b"BT /F1 1 Tf 30 0 0 30 72 600 Tm (Real cover title) Tj ET\n"  # size 1 × scale 30 = 30 points
    )
    assert pdf_title(build_pdf(content=content)) == ("pdf:text", "Real cover title")


def test_junk_metadata_title_gives_way_to_page_text() -> None:
    assert pdf_title(build_pdf(title="untitled", content=COVER)) == ("pdf:text", "Japan-EU Digital Partnership")


@pytest.mark.parametrize(
    ("title", "is_junk"),
    [
        ("Microsoft Word - x.docx", True),
        ("Microsoft Word - Document1", True),
        ("untitled", True),
        ("Untitled-3", True),
        ("EPRS_BRI(2022)729366_EN.pdf", True),
        ("C:\\Users\\jdoe\\Desktop\\draft.doc", True),
        ("Slide 1", True),
        ("PowerPoint Presentation", True),
        ("20220512", True),
        ("jp_eu_digital_partnership", True),
        ("", True),
        ("Japan-EU Digital Partnership", False),
        ("Microsoft Word - Japan-EU Digital Partnership Joint Statement", False),
        ("G7 Hiroshima Leaders' Communiqué", False),
    ],
)
def test_junk_titles(title: str, is_junk: bool) -> None:
    assert is_junk_title(title) is is_junk


def test_tool_prefix_is_removed_from_a_real_title() -> None:
    data = build_pdf(title="Microsoft Word - Japan-EU Digital Partnership Joint Statement")
    assert pdf_title(data) == ("pdf:title", "Japan-EU Digital Partnership Joint Statement")


def test_truncated_pdf_still_yields_its_cover_text_or_none() -> None:
    data = build_pdf(content=COVER)
    for cut in (len(data) * 3 // 4, len(data) // 2, len(data) // 4, 20):
        result = pdf_title(data[:cut])  # must not raise, whatever survives of the file
        assert result is None or result == ("pdf:text", "Japan-EU Digital Partnership")


def test_truncated_pdf_keeps_an_early_title() -> None:
    data = build_pdf(content=COVER)
    cut = data.index(b"xref")  # the cross-reference table and trailer are lost
    assert pdf_title(data[:cut]) == ("pdf:text", "Japan-EU Digital Partnership")


def test_truncated_pdf_keeps_its_metadata_title() -> None:
    data = build_pdf(title="Japan-EU Digital Partnership", content=COVER)
    assert pdf_title(data[: data.index(b"xref")]) == ("pdf:title", "Japan-EU Digital Partnership")


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF", b"%PDF-1.7\n" + b"\x00" * 5000, b"<html>not a pdf</html>", b"%PDF-1.4\n1 0 obj << /Type /Catalog"],
)
def test_broken_bytes_give_none(data: bytes) -> None:
    assert pdf_title(data) is None
