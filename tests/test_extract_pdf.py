"""PDF extraction with pypdf: link annotations and URLs in page text; damaged PDFs are input errors."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.annotations import Link as LinkAnnotation
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from linkcheck.errors import InputError
from linkcheck.extract import extract
from linkcheck.models import Document, Link

Rect = tuple[float, float, float, float]


def make_pdf(
    pages: list[tuple[list[tuple[float, float, str]], list[tuple[Rect, str]]]], password: str | None = None
) -> bytes:
    """A real PDF: Helvetica text drawn at (x, y) and link annotations (rect → URI) per page."""
    writer = PdfWriter()
    for number, (lines, links) in enumerate(pages):
        page = writer.add_blank_page(width=612, height=792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(
            "\n".join(f"BT /F1 12 Tf {x} {y} Td ({text}) Tj ET" for x, y, text in lines).encode("latin-1")
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
        for rect, url in links:
            writer.add_annotation(page_number=number, annotation=LinkAnnotation(rect=rect, url=url))
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_links(data: bytes) -> list[Link]:
    return extract(Document("report.pdf", "pdf", data=data))


def table(links: list[Link]) -> list[tuple[str, int, int, str | None]]:
    return [(link.url, link.occurrence.line, link.occurrence.column, link.occurrence.text) for link in links]


def test_annotations_and_text_urls_with_page_numbers() -> None:
    data = make_pdf(
        [
            (
                [
                    (72, 720, "Read the Joint Statement here."),
                    (72, 700, "Also https://text.example/page-one."),
                ],
                [((130, 715, 220, 732), "https://annot.example/statement")],
            ),
            ([(72, 720, "Second page cites (https://text.example/two).")], []),
        ]
    )
    assert table(pdf_links(data)) == [
        ("https://annot.example/statement", 1, 1, "Joint Statement"),
        ("https://text.example/page-one", 1, 1, None),
        ("https://text.example/two", 2, 1, None),
    ]


def test_url_both_annotated_and_printed_is_one_occurrence_per_page() -> None:
    data = make_pdf([([(72, 720, "https://a.example/x")], [((70, 715, 200, 732), "https://a.example/x")])])
    assert [link.url for link in pdf_links(data)] == ["https://a.example/x"]


def test_pdf_without_links() -> None:
    assert pdf_links(make_pdf([([(72, 720, "No links at all.")], [])])) == []


def test_encrypted_pdf_is_an_input_error() -> None:
    data = make_pdf([([(72, 720, "https://secret.example/")], [])], password="secret")
    with pytest.raises(InputError, match=r"^report\.pdf: .*encrypted"):
        pdf_links(data)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n garbage that is no PDF at all", b"", b"\x00\x01\x02 not even a header"],
    ids=["garbage", "empty", "binary"],
)
def test_broken_pdf_is_a_one_line_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        pdf_links(data)
    message = str(caught.value)
    assert message.startswith("report.pdf: ") and "\n" not in message


def test_truncated_pdf_never_raises_anything_but_an_input_error() -> None:
    data = make_pdf([([(72, 720, "https://a.example/x")], [])])
    truncated = data[: len(data) // 2]
    try:
        links = pdf_links(truncated)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert all(link.url.startswith("https://") for link in links)


def test_annotation_uri_with_trailing_nul_is_reported_without_it() -> None:
    # Producers of real PDFs (seen in W3C and academic papers) end /URI strings with a NUL byte;
    # no URL in a report may hold a control character.
    annotation = ((70, 715, 300, 732), "https://www.w3.org/TR/WCAG21/\x00")
    data = make_pdf([([(72, 720, "Web Content Accessibility Guidelines")], [annotation])])
    assert [link.url for link in pdf_links(data)] == ["https://www.w3.org/TR/WCAG21/"]
