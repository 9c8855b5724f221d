"""Check linkcheck's Markdown and HTML extraction against independent parsers, and time it.

    .venv/bin/python bench/extract_check.py CORPUS_DIR [--only md|html] [-v] [--misses N]

For each ``.md`` file, linkcheck's links (comrak + its own mapping) are compared with links read
from markdown-it-pyrs (markdown-it.rs, a different CommonMark implementation) through its source
map, and the HTML links in it through the standard library's ``html.parser``; for each
``.html``/``.htm`` file, with ``html.parser`` alone. An occurrence is *exact* when the same URL
is reported at the same line and column. Link text is compared for Markdown links and images
(``[text](url)``, ``![alt](url)``, reference links).

markdown-it-pyrs is a reference, not a dependency: it is installed into ``bench/.peers/check``
(``pip install --target bench/.peers/check markdown-it-pyrs``) and put on ``sys.path`` here.

Conventions (the same for both sides): a link written in the text is placed at its URL; a
reference link or image at its start (``[`` / ``!``); an autolink after its ``<``; a raw HTML
attribute at its value, past leading spaces. Reference definitions no link uses are not links.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / ".peers" / "check"))

import markdown_it_pyrs  # noqa: E402

from linkcheck.extract import extract  # noqa: E402
from linkcheck.extract.hrefs import collapse_whitespace, resolve_href  # noqa: E402
from linkcheck.extract.html import LINK_ATTRIBUTES  # noqa: E402
from linkcheck.extract.text import find_urls  # noqa: E402
from linkcheck.models import Document  # noqa: E402

_MD = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough", "footnote"])
_DESTINATION = re.compile(r"\]\([ \t\n]*<?")

Occurrence = tuple[str, int, int]


def _key(url: str) -> str:
    return unquote(url)


class _Positions:
    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        if not self.ascii:
            self.byte_to_char: dict[int, int] = {}
            position = 0
            for index, character in enumerate(text):
                self.byte_to_char[position] = index
                position += len(character.encode("utf-8", "surrogatepass"))
            self.byte_to_char[position] = len(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def char(self, byte: int) -> int:
        return byte if self.ascii else self.byte_to_char.get(byte, 0)

    def line_column(self, offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class _TagPositions(HTMLParser):
    """Start tags with URL attributes: (offset of the value in the markup, url, tag name)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        self.found: list[tuple[int, str, str]] = []
        self.anchor_texts: list[list[str]] = []
        self.texts: dict[int, str] = {}
        self._open: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        tag_offset = self.starts[line - 1] + column
        if tag == "a" and self._open is not None:
            self._close()
        if tag == "img" and self._open is not None:
            alt = dict(attrs).get("alt")
            if alt:
                self._open[1].append(f" {alt} ")
        name = LINK_ATTRIBUTES.get(tag)
        values = dict(attrs)
        if name is None or values.get(name) is None:
            return
        if tag == "link" and "alternate" not in (values.get("rel") or "").lower().split():
            return
        raw_tag = self.get_starttag_text() or ""
        match = re.search(
            rf"""[\s"'/]{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", raw_tag, re.IGNORECASE
        )
        if match is None:
            return
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        raw = match.group(group)
        offset = tag_offset + match.start(group) + len(raw) - len(raw.lstrip())
        self.found.append((offset, values[name] or "", tag))
        if tag == "a":
            self._open = (len(self.found) - 1, [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self._close()

    def _close(self) -> None:
        assert self._open is not None
        index, pieces = self._open
        self.texts[index] = collapse_whitespace("".join(pieces))
        self._open = None


def html_reference(markup: str, base: str | None = None) -> list[tuple[int, str, str | None]]:
    parser = _TagPositions(markup)
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - a reference that fails is reported as a miss, not a crash
        pass
    found = []
    for index, (offset, value, tag) in enumerate(parser.found):
        url = resolve_href(value, base)
        if url is not None:
            text = parser.texts.get(index) if tag == "a" else None
            found.append((offset, url, text or None))
    return found


def _destination(text: str, start: int, end: int, url: str) -> int:
    if not text.startswith(")", end - 1):
        return start
    candidates = [m.end() for m in _DESTINATION.finditer(text, start, end)]
    for offset in reversed(candidates):
        written = text[offset : offset + len(url) + 64]
        if written.startswith(url) or unquote(written).startswith(unquote(url)):
            return offset
    return candidates[-1] if candidates else start


def _label(node: markdown_it_pyrs.Node) -> str:
    pieces: list[str] = []
    for child in node.walk():
        if child is node:
            continue
        if child.name in ("text", "text_special", "code_inline"):
            if child.name == "code_inline":
                continue
            pieces.append(child.meta.get("content", ""))
        elif child.name in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.name == "image":
            pass
    return collapse_whitespace("".join(pieces))


def _code_text(node: markdown_it_pyrs.Node) -> str:
    return "".join(c.meta.get("content", "") for c in node.walk() if c.name == "text")


def _inline_label(node: markdown_it_pyrs.Node) -> str | None:
    pieces: list[str] = []

    def visit(current: markdown_it_pyrs.Node) -> None:
        for child in current.children:
            if child.name in ("text", "text_special"):
                pieces.append(child.meta.get("content", ""))
            elif child.name == "code_inline":
                pieces.append(_code_text(child))
            elif child.name in ("softbreak", "hardbreak"):
                pieces.append(" ")
            elif child.name == "image":
                pieces.append(" " + _inline_label(child).__str__() if _inline_label(child) else "")
            elif child.name == "html_inline":
                continue
            else:
                visit(child)

    visit(node)
    return collapse_whitespace("".join(pieces)) or None


def markdown_reference(text: str, base: str | None = None) -> list[tuple[int, str, str | None, str]]:
    """(offset, url, text, kind) of every link markdown-it-pyrs sees, kind ``md`` or ``html``."""
    positions = _Positions(text)
    tree = _MD.tree(text)
    found: list[tuple[int, str, str | None, str]] = []

    def visit(node: markdown_it_pyrs.Node, in_link: bool) -> None:
        name = node.name
        srcmap = node.srcmap
        start = positions.char(srcmap[0]) if srcmap else 0
        end = positions.char(srcmap[1]) if srcmap else 0
        if name in ("link", "image"):
            url = str(node.meta.get("url", ""))
            resolved = resolve_href(url, base)
            if resolved is not None:
                found.append((_destination(text, start, end, url), resolved, _inline_label(node), "md"))
            for child in node.children:
                visit(child, True)
            return
        if name == "autolink":
            url = str(node.meta.get("url", ""))
            resolved = resolve_href(url, None)
            if resolved is not None:
                found.append((start + 1, resolved, None, "md"))
            return
        if name in ("code_inline", "code_block", "fence", "math_inline", "definition"):
            return
        if name in ("html_inline", "html_block"):
            content = str(node.meta.get("content", ""))
            literal = text[start : start + len(content)] == content
            content_starts = [0] + [m.end() for m in re.finditer("\n", content)]
            first_line = text.count("\n", 0, start)
            for offset, url, label in html_reference(content, base):
                if literal:
                    absolute = start + offset
                else:  # lines of a block inside a container lost their prefix: map line by line
                    import bisect

                    index = bisect.bisect_right(content_starts, offset) - 1
                    line_text = content[content_starts[index] :].split("\n", 1)[0]
                    source_line = positions.starts[min(first_line + index, len(positions.starts) - 1)]
                    source_text = text[source_line:].split("\n", 1)[0]
                    shift = source_text.find(line_text) if line_text else 0
                    absolute = source_line + max(shift, 0) + offset - content_starts[index]
                found.append((absolute, url, label, "html"))
            return
        if name == "text" and not in_link:
            content = str(node.meta.get("content", ""))
            literal = text[start:end] == content
            for offset, url, _ in find_urls(content):
                if literal:
                    absolute = start + offset
                else:
                    absolute = text.find(url, start, end)
                    absolute = start if absolute == -1 else absolute
                found.append((absolute, url, None, "text"))
            return
        for child in node.children:
            visit(child, in_link)

    visit(tree, False)
    return found


def compare(
    ours: list[tuple[str, int, int, str | None]],
    theirs: list[tuple[str, int, int, str | None, str]],
) -> tuple[int, int, int, int, int, list[str]]:
    """(reference occurrences, exact, ours extra, md links, md texts equal, misses)."""
    mine = Counter((_key(u), l, c) for u, l, c, _ in ours)
    texts = {(_key(u), l, c): t for u, l, c, t in ours}
    exact = 0
    md_links = 0
    md_texts = 0
    misses: list[str] = []
    for url, line, column, label, kind in theirs:
        key = (_key(url), line, column)
        if mine[key] > 0:
            mine[key] -= 1
            exact += 1
            if kind == "md":
                md_links += 1
                if (texts.get(key) or None) == (label or None):
                    md_texts += 1
                else:
                    misses.append(f"text {line}:{column} {url}: ours {texts.get(key)!r} ref {label!r}")
        else:
            if kind == "md":
                md_links += 1
            near = [f"{l}:{c}" for (u, l, c) in mine if u == _key(url) and mine[(u, l, c)] > 0]
            misses.append(f"miss {kind} {line}:{column} {url} (ours at {', '.join(near) or 'nowhere'})")
    extra = sum(mine.values())
    for (url, line, column), count in mine.items():
        if count > 0:
            misses.append(f"extra {line}:{column} {url}")
    return len(theirs), exact, extra, md_links, md_texts, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--only", choices=("md", "html"))
    parser.add_argument("--base", help="resolve relative links against this URL (both sides)")
    parser.add_argument("--misses", type=int, default=20, help="show this many misses (0: none)")
    args = parser.parse_args(argv)
    totals = {"md": [0, 0, 0, 0, 0, 0, 0.0], "html": [0, 0, 0, 0, 0, 0, 0.0]}
    shown = 0
    suffixes = {"md": (".md", ".markdown"), "html": (".html", ".htm")}
    for path in sorted(args.corpus.rglob("*")):
        kind = next((k for k, s in suffixes.items() if path.suffix.lower() in s), None)
        if kind is None or (args.only and args.only != kind) or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        started = time.process_time()
        links = extract(Document(str(path), "markdown" if kind == "md" else "html", text, base_url=args.base))
        totals[kind][6] += time.process_time() - started
        ours = [(l.url, l.occurrence.line, l.occurrence.column, l.occurrence.text) for l in links]
        positions = _Positions(text)
        if kind == "md":
            try:
                reference = markdown_reference(text, args.base)
            except BaseException as exc:  # noqa: BLE001 - markdown-it-pyrs panics on a few files
                if isinstance(exc, KeyboardInterrupt):
                    raise
                print(f"{path.relative_to(args.corpus)}: reference parser failed ({exc}), file left out")
                continue
        else:
            reference = [(o, u, t, "md") for o, u, t in html_reference(text, args.base)]
        theirs = [(u, *positions.line_column(o), t, k) for o, u, t, k in reference]
        total, exact, extra, md_links, md_texts, misses = compare(ours, theirs)
        row = totals[kind]
        row[0] += 1
        row[1] += total
        row[2] += exact
        row[3] += extra
        row[4] += md_links
        row[5] += md_texts
        for miss in misses:
            if shown < args.misses:
                print(f"{path.relative_to(args.corpus)}: {miss}")
                shown += 1
    for kind, (files, total, exact, extra, md_links, md_texts, seconds) in totals.items():
        if not files:
            continue
        print(
            f"{kind}: {files} files, {total} reference occurrences, exact {exact} "
            f"({100 * exact / max(total, 1):.2f} %), ours extra {extra}; "
            f"link text equal {md_texts}/{md_links} ({100 * md_texts / max(md_links, 1):.2f} %); "
            f"linkcheck CPU {seconds:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
