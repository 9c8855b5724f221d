"""Links of a document: one extractor per kind, all returning ``[Link]`` in document order.

Each ``Link`` carries where it stands (source, 1-based line and column) and its link text, so a
report can point at the citation and the link text can serve as the expected title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..models import Document, DocumentKind, Link
from .html import extract_html
from .markdown import extract_markdown
from .pdf import extract_pdf
from .text import extract_text

__all__ = ["extract", "extract_all", "extract_html", "extract_markdown", "extract_pdf", "extract_text"]

_EXTRACTORS: dict[DocumentKind, Callable[[Document], list[Link]]] = {
    "text": extract_text,
    "markdown": extract_markdown,
    "html": extract_html,
    "pdf": extract_pdf,
}


def extract(document: Document) -> list[Link]:
    """Every link occurrence of one document. Raises ``InputError`` only for an unreadable PDF."""
    return _EXTRACTORS.get(document.kind, extract_text)(document)


def extract_all(documents: Iterable[Document]) -> list[Link]:
    """Links of several documents, document after document."""
    return [link for document in documents for link in extract(document)]
