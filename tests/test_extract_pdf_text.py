"""Issue 10 item 3: PDF text read right. Glyphs of an embedded CFF font with its own encoding
(``ff`` ligature, ``~``) decoded (fontTools), ligatures written out, URLs glued to a preceding
digit found whole, and the text of a link annotation exactly the words inside its rectangle.

Every PDF is built here: a real CFF font program made with fontTools and embedded as
``/FontFile3`` (as Ghostscript and Distiller write them), or Helvetica with the rectangle of a
link laid out by Helvetica's metrics, as a PDF producer does. The texts are from real documents:
the status boilerplate every RFC carries (here RFC 9449's), the footer of a Wayback Machine
printout (the case the issue names), and the seed press release of this repository."""

from __future__ import annotations

import io

from fontTools.agl import UV2AGL
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from pypdf import PdfWriter
from pypdf.annotations import Link as LinkAnnotation
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject, StreamObject

try:
    from pypdf.generic._font import Font
except ImportError:  # pypdf before 6
    from pypdf._text_extraction._layout_mode._font import Font  # type: ignore[no-redef]

from linkcheck.extract import extract
from linkcheck.models import Document, Link

Rect = tuple[float, float, float, float]
HELVETICA = Font.from_core_font_name("/Helvetica")


def _cff_font_program(encoding: dict[int, str]) -> bytes:
    """A CFF font whose built-in encoding maps ``encoding``'s codes to its glyph names."""
    names = [".notdef", *sorted(set(encoding.values()))]
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({})
    outlines = {}
    for name in names:
        pen = T2CharStringPen(500, None)
        pen.moveTo((50, 0))
        pen.lineTo((450, 0))
        pen.lineTo((450, 700))
        pen.closePath()
        outlines[name] = pen.getCharString()
    builder.setupCFF("LinkTest-Regular", {"FullName": "LinkTest"}, outlines, {})
    cff = builder.font["CFF "].cff
    table = [".notdef"] * 256
    for code, name in encoding.items():
        table[code] = name
    cff.topDictIndex[0].Encoding = table
    buffer = io.BytesIO()
    cff.compile(buffer, builder.font)
    return buffer.getvalue()


def _pdf(content: bytes, *, font: str = "helvetica", links: list[tuple[Rect, str]] = ()) -> bytes:  # type: ignore[assignment]
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if font == "cff":
        encoding = {ord(c): UV2AGL.get(ord(c), c) for c in "abcdefghijklmnopqrstuvwxyz0123456789:/.-_"}
        encoding |= {0x0B: "ff", 0x18: "asciitilde"}  # TeX's OT1 places: ff ligature, tilde accent
        program = StreamObject()
        program._data = _cff_font_program(encoding)
        program[NameObject("/Subtype")] = NameObject("/Type1C")
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject("/LinkTest-Regular"),
                NameObject("/Flags"): NumberObject(4),
                NameObject("/FontFile3"): writer._add_object(program),
            }
        )
        entries = {NameObject("/BaseFont"): NameObject("/LinkTest-Regular"),
                   NameObject("/FontDescriptor"): writer._add_object(descriptor)}
    else:
        entries = {NameObject("/BaseFont"): NameObject("/Helvetica")}
    resource = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 **entries})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(resource)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    for rect, url in links:
        writer.add_annotation(page_number=0, annotation=LinkAnnotation(rect=rect, url=url))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _links(data: bytes) -> list[Link]:
    return extract(Document("paper.pdf", "pdf", data=data))


def _width(text: str, size: float) -> float:
    return HELVETICA.get_text_width(text) / 1000 * size


def test_glyphs_of_an_embedded_cff_font_are_decoded_and_ligatures_written_out() -> None:
    # code 0x0B is the ff ligature, 0x18 the tilde: without fontTools pypdf read "\x0b" and
    # "\x18", and the URL ended at "http://www.e"
    data = _pdf(rb"BT /F1 10 Tf 72 720 Td (http://www.e\013ect.org/\030user/cv.html) Tj ET", font="cff")
    assert [link.url for link in _links(data)] == ["http://www.effect.org/~user/cv.html"]


def test_a_url_glued_to_a_page_number_is_found_whole() -> None:
    # a Wayback Machine printout: the footer "Page 1 of 14" and the page's URL run together
    url = "https://web.archive.org/web/20220513000000/https://www.consilium.europa.eu/en/press/"
    data = _pdf(f"BT /F1 8 Tf 36 20 Td (Page 1 of 14{url}) Tj ET".encode("latin-1"))
    assert [link.url for link in _links(data)] == [url]


RFC_STATUS = (
    "Information about the current status of this document, any errata, and how to provide "
    "feedback on it may be obtained at"
)


def _rect(line: str, phrase: str, x: float, y: float, size: float) -> Rect:
    left = x + _width(line[: line.index(phrase)], size)
    return (left, y - 2, left + _width(phrase, size), y + size * 0.8)


def test_link_text_is_the_words_inside_the_rectangle_in_a_long_line() -> None:
    x, y, size = 72.0, 700.0, 10.0
    links = [
        (_rect(RFC_STATUS, "any errata", x, y, size), "https://www.rfc-editor.org/errata/rfc9449"),
        (_rect(RFC_STATUS, "feedback", x, y, size), "https://www.rfc-editor.org/info/rfc9449"),
    ]
    data = _pdf(f"BT /F1 {size} Tf {x} {y} Td ({RFC_STATUS}) Tj ET".encode("latin-1"), links=links)
    assert {link.url: link.occurrence.text for link in _links(data)} == {
        "https://www.rfc-editor.org/errata/rfc9449": "any errata",
        "https://www.rfc-editor.org/info/rfc9449": "feedback",
    }


def test_link_text_in_a_kerned_tj_array_with_stretched_spaces() -> None:
    # how TeX justifies a line: one TJ array, each word a string, the spaces as (stretched) kerns
    words = "Japan is one of the EU's closest allies".split()
    gap = -420  # thousandths of an em: a stretched space
    size, x, y = 11.0, 72.0, 650.0
    parts = " ".join(f"({word}) {gap}" for word in words)
    content = f"BT /F1 {size} Tf {x} {y} Td [{parts}] TJ ET".encode("latin-1")
    advance = [0.0]
    for word in words:
        advance.append(advance[-1] + _width(word, size) - gap / 1000 * size)
    first, last = words.index("closest"), words.index("allies")
    rect = (x + advance[first], y - 3, x + advance[last] + _width("allies", size), y + 9)
    (link,) = _links(_pdf(content, links=[(rect, "https://www.consilium.europa.eu/en/press/")]))
    assert link.occurrence.text == "closest allies"


def test_punctuation_after_a_linked_url_is_not_link_text() -> None:
    line = "Read the joint statement at https://www.consilium.europa.eu/en/press/."
    url = "https://www.consilium.europa.eu/en/press/"
    x, y, size = 72.0, 600.0, 9.0
    data = _pdf(f"BT /F1 {size} Tf {x} {y} Td ({line}) Tj ET".encode("latin-1"),
                links=[(_rect(line, url, x, y, size), url)])
    assert [(link.url, link.occurrence.text) for link in _links(data)] == [(url, url)]
