"""Reading sources: files by suffix, directory walks, URLs through an injected fetcher, stdin."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from linkcheck.errors import InputError, NoDocuments, SourceNotFound
from linkcheck.extract import extract, extract_all
from linkcheck.load import DEFAULT_MAX_FETCH_BYTES, DEFAULT_STREAM_THRESHOLD, read_documents
from linkcheck.models import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docs"


def one(sources: list[str], **kwargs: object) -> Document:
    documents = read_documents(sources, **kwargs)  # type: ignore[arg-type]
    assert len(documents) == 1
    return documents[0]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("a.md", "markdown"),
        ("a.MARKDOWN", "markdown"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.rst", "text"),
        ("README", "text"),
    ],
)
def test_kind_from_suffix_and_source_as_given(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text("see https://a.example/", encoding="utf-8")
    document = one([str(path)])
    assert (document.source, document.kind, document.text) == (str(path), kind, "see https://a.example/")


def test_pdf_file_keeps_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 whatever")
    document = one([str(path)])
    assert (document.kind, document.data, document.text) == ("pdf", b"%PDF-1.4 whatever", "")


def test_directory_walk_is_sorted_recursive_and_skips_hidden_and_other_files() -> None:
    documents = read_documents([str(FIXTURES)])
    assert [os.path.relpath(d.source, FIXTURES) for d in documents] == [
        "guide.md",
        os.path.join("nested", "deeper.md"),
        "notes.txt",
        "page.html",
    ]
    assert all(d.source.startswith(str(FIXTURES)) for d in documents)
    urls = [link.url for link in extract_all(documents)]
    assert "https://example.org/deeper" in urls and "https://hidden.example/" not in urls


def test_directory_walk_skips_binary_files(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"GIF89a\x00\x00\x01https://binary.example/")
    (tmp_path / "real.txt").write_text("https://a.example/", encoding="utf-8")
    assert [Path(d.source).name for d in read_documents([str(tmp_path)])] == ["real.txt"]


def test_binary_file_given_by_name_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blob.dat"
    path.write_bytes(b"\x7fELF\x00\x00\x00")
    with pytest.raises(InputError, match=r"blob\.dat: is a binary file$"):
        read_documents([str(path)])


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.md")
    with pytest.raises(SourceNotFound) as caught:
        read_documents([missing])
    assert str(caught.value) == f"{missing}: no such file or directory"
    assert caught.value.exit_code == 2


def test_directory_without_documents(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("https://a.example/", encoding="utf-8")
    with pytest.raises(NoDocuments, match="no documents found"):
        read_documents([str(tmp_path)])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_documents([str(path)])


def test_empty_file_is_a_document_without_links(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    document = one([str(path)])
    assert document.text == "" and extract(document) == []


def test_several_sources_keep_their_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    sources = [str(tmp_path / "b.txt"), str(tmp_path / "a.txt")]
    assert [d.source for d in read_documents(sources)] == sources


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7 ...", "pdf"),
        (b"  <!DOCTYPE html><html><a href='https://a.example/'>a</a></html>", "html"),
        (b"<HTML><body></body></HTML>", "html"),
        (b"[text](https://a.example/) plain", "text"),
    ],
)
def test_stdin_kind_is_sniffed(data: bytes, kind: str) -> None:
    document = one(["-"], stdin=io.BytesIO(data))
    assert (document.source, document.kind) == ("-", kind)


def test_stdin_links_are_found() -> None:
    document = one(["-"], stdin=io.BytesIO(b"see https://a.example/x\n"))
    assert [(link.url, link.occurrence.source) for link in extract(document)] == [
        ("https://a.example/x", "-")
    ]


def test_url_source_uses_the_fetcher_and_resolves_against_the_final_url() -> None:
    calls: list[str] = []

    def fetch(url: str) -> tuple[bytes, str, str]:
        calls.append(url)
        return (
            b'<html><a href="next.html">Next page</a></html>',
            "text/html; charset=utf-8",
            "https://b.example/d/i.html",
        )

    document = one(["https://a.example/start"], fetch_url=fetch)
    assert calls == ["https://a.example/start"]
    assert (document.source, document.kind, document.base_url) == (
        "https://a.example/start",
        "html",
        "https://b.example/d/i.html",
    )
    assert [link.url for link in extract(document)] == ["https://b.example/d/next.html"]


@pytest.mark.parametrize(
    ("content_type", "final_url", "body", "kind"),
    [
        ("application/pdf", "https://a.example/x", b"%PDF-1.4", "pdf"),
        ("text/markdown; charset=utf-8", "https://a.example/x", b"# t", "markdown"),
        ("text/plain", "https://a.example/README.md", b"# t", "markdown"),
        ("text/plain", "https://a.example/notes", b"plain", "text"),
        ("application/octet-stream", "https://a.example/x", b"<!doctype html><p>", "html"),
        ("application/xhtml+xml", "https://a.example/x", b"<html/>", "html"),
    ],
)
def test_url_kind_from_content_type_then_suffix_then_bytes(
    content_type: str, final_url: str, body: bytes, kind: str
) -> None:
    document = one(["https://a.example/x"], fetch_url=lambda url: (body, content_type, final_url))
    assert document.kind == kind


def test_url_charset_from_content_type() -> None:
    body = "Новости https://a.example/".encode("cp1251")
    document = one(
        ["https://a.example/"], fetch_url=lambda url: (body, "text/plain; charset=windows-1251", url)
    )
    assert document.text == "Новости https://a.example/"


def test_url_without_fetcher_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^https://a\.example/: "):
        read_documents(["https://a.example/"])


def test_fetch_failure_is_a_redacted_input_error() -> None:
    def fetch(url: str) -> tuple[bytes, str, str]:
        raise ConnectionError(f"connection refused for {url}")

    with pytest.raises(InputError) as caught:
        read_documents(["https://user:secret@a.example/doc"], fetch_url=fetch)
    message = str(caught.value)
    assert "secret" not in message and "https://***@a.example/doc" in message and "refused" in message


def test_oversized_fetched_document_is_refused() -> None:
    body = b"x" * (DEFAULT_MAX_FETCH_BYTES + 1)
    with pytest.raises(InputError, match="larger than 20 MB"):
        read_documents(["https://a.example/"], fetch_url=lambda url: (body, "text/plain", url))


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param("\ufeffhttps://a.example/ café".encode(), "https://a.example/ café", id="utf8-bom"),
        pytest.param(
            "\ufeffhttps://a.example/ café".encode("utf-16-le"), "https://a.example/ café", id="utf16-le-bom"
        ),
        pytest.param(
            "\ufeffhttps://a.example/ café".encode("utf-16-be"), "https://a.example/ café", id="utf16-be-bom"
        ),
        pytest.param(
            "Le café est très bon, voir https://a.example/ pour la journée".encode("latin-1"),
            "Le café est très bon, voir https://a.example/ pour la journée",
            id="latin1-detected",
        ),
        pytest.param(
            "naïve café https://a.example/ ".encode() + b"\xff\xfe end",
            "naïve café https://a.example/ \ufffd\ufffd end",
            id="damaged-utf8-replaced",
        ),
    ],
)
def test_decoding(tmp_path: Path, data: bytes, text: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    document = one([str(path)])
    assert document.text == text
    assert [link.url for link in extract(document)] == ["https://a.example/"]


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "jp.html"
    markup = (
        '<html><head><meta charset="shift_jis"></head><body><a href="https://a.example/">日本語のページ</a>'
    )
    path.write_bytes(markup.encode("shift_jis"))
    links = extract(one([str(path)]))
    assert [(link.url, link.occurrence.text) for link in links] == [("https://a.example/", "日本語のページ")]


def test_huge_text_file_is_streamed_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.log"
    line = b"log line without links, just filler text to take up room in the file.\n"
    with path.open("wb") as handle:
        handle.write(b"first https://a.example/first\n")
        handle.write(line * (DEFAULT_STREAM_THRESHOLD // len(line) + 10))
        handle.write(b"last https://a.example/last\n")
    document = one([str(path)])
    assert document.text == "" and document.path == path
    links = extract(document)
    assert [(link.url, link.occurrence.line) for link in links] == [
        ("https://a.example/first", 1),
        ("https://a.example/last", DEFAULT_STREAM_THRESHOLD // len(line) + 12),
    ]


def test_documents_are_read_one_at_a_time_and_a_missing_source_is_named_first(tmp_path: Path) -> None:
    from linkcheck.load import iter_documents

    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"[x](https://example.org/{name})\n", encoding="utf-8")
    documents = iter_documents([str(tmp_path)])
    first = next(documents)
    assert Path(first.source).name == "a.md" and "example.org/a.md" in first.text
    assert [Path(d.source).name for d in documents] == ["b.md"]
    with pytest.raises(SourceNotFound, match="missing.md: no such file"):
        next(iter_documents([str(tmp_path), str(tmp_path / "missing.md")]))


def test_a_plan_keeps_no_document_text(tmp_path: Path) -> None:
    from linkcheck.config import Config
    from linkcheck.load import iter_documents
    from linkcheck.run import plan

    (tmp_path / "a.md").write_text("[x](https://example.org/a)\n", encoding="utf-8")
    the_plan = plan(iter_documents([str(tmp_path)]), Config())
    assert [t.url for t in the_plan.targets] == ["https://example.org/a"]
    assert [(Path(d.source).name, d.text) for d in the_plan.documents] == [("a.md", "")]


def test_extract_of_files_does_not_load_the_http_client(tmp_path: Path) -> None:
    import subprocess
    import sys

    doc = tmp_path / "a.md"
    doc.write_text("[x](https://example.org/a)\n", encoding="utf-8")
    code = ("import sys; from linkcheck.cli import main\n"
            "try:\n    main(['extract', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('httpx' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, text=True, timeout=60)
    assert done.stdout == "https://example.org/a\n"
    assert done.stderr.strip() == "False", done.stderr
