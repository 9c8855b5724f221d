"""Links of a document: one extractor per kind, all returning ``[Link]`` in document order.

Each ``Link`` carries where it stands (source, 1-based line and column) and its link text, so a
report can point at the citation and the link text can serve as the expected title.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..models import Document, DocumentKind, Link

if TYPE_CHECKING:
    from .html import extract_html
    from .markdown import extract_markdown
    from .pdf import extract_pdf
    from .text import extract_text

__all__ = ["extract", "extract_all", "extract_html", "extract_markdown", "extract_pdf", "extract_text"]

_EXTRACTORS: dict[DocumentKind, tuple[str, str]] = {
    "text": ("text", "extract_text"),
    "markdown": ("markdown", "extract_markdown"),
    "html": ("html", "extract_html"),
    "pdf": ("pdf", "extract_pdf"),
}
"""Extractor modules are imported on first use: a run over text files never loads bs4 or pypdf."""


def _extractor(kind: DocumentKind) -> Callable[[Document], list[Link]]:
    module, name = _EXTRACTORS.get(kind, _EXTRACTORS["text"])
    function: Callable[[Document], list[Link]] = getattr(importlib.import_module(f".{module}", __name__), name)
    return function


def extract(document: Document) -> list[Link]:
    """Every link occurrence of one document. Raises ``InputError`` only for an unreadable PDF."""
    return _extractor(document.kind)(document)


def __getattr__(name: str) -> Any:
    """``from linkcheck.extract import extract_html`` still works, loading that module then."""
    for module, function in _EXTRACTORS.values():
        if function == name:
            return getattr(importlib.import_module(f".{module}", __name__), name)
    raise AttributeError(name)


def extract_all(documents: Iterable[Document]) -> list[Link]:
    """Links of several documents, document after document."""
    return [link for document in documents for link in extract(document)]
