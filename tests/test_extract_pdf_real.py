"""PDF extraction with PDFium on real PDFs (W3C working examples, tests/fixtures/pdfs/SOURCE.md)
and on built PDFs carrying text from real documents: link text exactly the words inside each
annotation, page numbers, a hyphen PDFium takes for a line-end word break, threads."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from linkcheck.extract import extract
from linkcheck.models import Document, Link

from .test_extract_pdf import make_pdf, table

PDFS = Path(__file__).parent / "fixtures" / "pdfs"


def _links(name: str) -> list[Link]:
    return extract(Document(name, "pdf", data=(PDFS / name).read_bytes()))


def test_real_pdf_link_annotations_with_their_text() -> None:
    # the titles the links are drawn over, as a reader sees them on the page
    assert table(_links("wcag-pdf-links.pdf")) == [
        ("https://www.gutenberg.org/ebooks/1513", 1, 1, "Romeo And Juliet"),
        ("https://www.gutenberg.org/ebooks/1184", 1, 1, "The Count Of Monte Cristo"),
        ("https://www.gutenberg.org/ebooks/5200", 1, 1, "Metamorphosis"),
        ("https://www.gutenberg.org/ebooks/174", 1, 1, "The Picture of Dorian Gray"),
        ("https://www.gutenberg.org/ebooks/996", 1, 1, "Don Quixote"),
    ]


def test_real_pdf_link_text_with_an_ellipsis() -> None:
    assert table(_links("wcag-lang-of-phrase.pdf")) == [
        ("http://en.wikipedia.org/wiki/Cape_Cod", 1, 1, "Cape Cod"),
        ("http://www.capecodlivecam.com/sagamore.shtml", 1, 1, "Sagamore Bridge…"),
        ("http://www.capecodlivecam.com/bourne.shtml", 1, 1, "Bourne Bridge…"),
    ]


def test_a_hyphen_at_a_line_end_stays_a_hyphen_and_a_line_break() -> None:
    # PDFium takes "com-" ⏎ "pile" (tracemonkey paper) for one word broken over two lines and
    # hands out "com\ufffepile"; a URL broken there (Free Culture's "get-" ⏎ "it") must not take
    # that mark or the next line's word in
    data = make_pdf(
        [
            (
                [
                    (72, 720, "Trace-based compilers are more difficult to com-"),
                    (72, 706, "pile; the book is at https://www.free-culture.cc/get-"),
                    (72, 692, "it and the code at https://github.com/mozilla/pdf.js"),
                ],
                [],
            )
        ]
    )
    links = extract(Document("paper.pdf", "pdf", data=data))
    assert [link.url for link in links] == ["https://www.free-culture.cc/get-", "https://github.com/mozilla/pdf.js"]


def test_link_text_over_two_lines_and_on_a_later_page() -> None:
    # Free Culture's copyright page: one annotation rectangle over two lines of text
    data = make_pdf(
        [
            ([(72, 720, "Free Culture")], []),
            (
                [(230, 400, "Buy a copy of this book:"), (230, 388, "click here"), (72, 300, "Lawrence Lessig")],
                [((228, 385, 400, 412), "http://www.free-culture.cc/get-it")],
            ),
        ]
    )
    assert table(extract(Document("book.pdf", "pdf", data=data))) == [
        ("http://www.free-culture.cc/get-it", 2, 1, "Buy a copy of this book: click here"),
    ]


@pytest.mark.timeout(120)
def test_pdfs_read_from_several_threads_at_once_give_the_same_links() -> None:
    # PDFium is not thread-safe; linkcheck.extract may be called from threads (asyncio.to_thread)
    names = ["wcag-pdf-links.pdf", "wcag-lang-of-phrase.pdf"] * 8
    expected = {name: table(_links(name)) for name in set(names)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda name: (name, table(_links(name))), names))
    assert all(found == expected[name] for name, found in results)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_locked_only_against_editing_is_read(algorithm: str) -> None:
    # "restrict editing" PDFs: an owner password, an empty user password; readers open them
    data = make_pdf([([(72, 720, "Joint Statement: https://www.consilium.europa.eu/en/press/")], [])])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    links = extract(Document("statement.pdf", "pdf", data=buffer.getvalue()))
    assert [link.url for link in links] == ["https://www.consilium.europa.eu/en/press/"]


def _helvetica_rect(line: str, phrase: str, x: float, y: float, size: float, shift: str = "") -> tuple[float, ...]:
    """The rectangle a producer draws over ``phrase`` of ``line`` set in Helvetica at ``size``
    (make_pdf sets 12 pt), moved right by the width of ``shift``."""
    from pypdf.generic._font import Font

    font = Font.from_core_font_name("/Helvetica")

    def width(text: str) -> float:
        return float(font.get_text_width(text)) / 1000 * size

    left = x + width(line[: line.index(phrase)]) + width(shift)
    return (left, y - 2, left + width(phrase), y + size * 0.8)


def test_a_bracket_left_outside_the_rectangle_takes_its_partner_along() -> None:
    # Free Culture's footers: the rectangle is drawn one character to the right of the
    # bracketed URL, over "http://free-culture.org/get-it>"
    line = "<http://free-culture.org/get-it>"
    rect = _helvetica_rect(line, "<http://free-culture.org/get-it", 168, 60, 12, shift="<")
    data = make_pdf([([(168, 60, line)], [(rect, "http://free-culture.org/get-it")])])
    assert table(extract(Document("book.pdf", "pdf", data=data))) == [
        ("http://free-culture.org/get-it", 1, 1, "http://free-culture.org/get-it"),
    ]


def test_brackets_paired_inside_the_rectangle_stay_in_the_link_text() -> None:
    # the opening parenthesis outside the rectangle, a pair inside it: all of the URL is link text
    line = "(https://en.wikipedia.org/wiki/Free_Culture_(book))"
    url = "https://en.wikipedia.org/wiki/Free_Culture_(book)"
    data = make_pdf([([(72, 700, line)], [(_helvetica_rect(line, url, 72, 700, 12), url)])])
    assert table(extract(Document("paper.pdf", "pdf", data=data))) == [(url, 1, 1, url)]
