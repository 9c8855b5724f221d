"""Shared fixtures: a CLI runner, a trusted test CA, and HTTPS servers that impersonate the
hosts cited by the seed press release (reached through ``--resolve``), so the whole seed is
checked end to end offline, over real TLS."""

from __future__ import annotations

import io
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "eu-japan-summit-2022.txt"
SEED_MANIFEST = ROOT / "seeds" / "eu-japan-summit-2022.expected.toml"

SEED_HOSTS = (
    "www.consilium.europa.eu",
    "digital-strategy.ec.europa.eu",
    "audiovisual.ec.europa.eu",
    "ec.europa.eu",
    "www.eeas.europa.eu",
)


def html_page(title: str, *, site_name: str | None = None, h1: str | None = None, body: str = "") -> bytes:
    meta = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
        f"<body>{heading}<main>{body or 'Content of the page. ' * 20}</main></body></html>"
    ).encode()


def pdf_document(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# path → (content type, body): the pages as the seed's sources titled them in 2022.
SEED_PAGES: dict[str, tuple[str, bytes]] = {
    "/en/press/press-releases/2022/05/12/joint-statement-eu-japan-summit-2022/": (
        "text/html; charset=utf-8",
        html_page("EU-Japan Summit 2022 – Joint Statement - Consilium", site_name="Consilium",
                  h1="Joint Statement EU-Japan Summit 2022"),
    ),
    # pytest-httpserver matches the decoded path of %E6%9C%80%E7%B5%82%E7%89%88 (最終版).
    "/media/56091/最終版-jp-eu-digital-partnership-clean-final-docx.pdf": (
        "application/pdf",
        pdf_document("Japan-EU Digital Partnership"),
    ),
    "/en/library/japan-eu-digital-partnership-factsheet": (
        "text/html; charset=utf-8",
        html_page("Japan-EU Digital Partnership factsheet | Shaping Europe’s digital future",
                  site_name="Shaping Europe’s digital future"),
    ),
    "/en/video/l-225057": (
        "text/html; charset=utf-8",
        html_page("EU-Japan Summit: press statements by Charles Michel, Ursula von der Leyen and Fumio Kishida"
                  " - European Commission Audiovisual Service"),
    ),
    "/commission/presscorner/detail/en/statement_22_3022": (
        "text/html; charset=utf-8",
        html_page("Statement by President von der Leyen at the joint press conference with President Michel and"
                  " Japanese Prime Minister Kishida", site_name="European Commission"),
    ),
    "/eeas/eu-japan-relations_en": (
        "text/html; charset=utf-8",
        html_page("EU-Japan relations | EEAS", site_name="EEAS"),
    ),
    "/news/eu-japan-summit-strengthening-our-partnership": (
        "text/html; charset=utf-8",
        html_page("EU-Japan Summit: strengthening our partnership | Shaping Europe’s digital future",
                  site_name="Shaping Europe’s digital future"),
    ),
    "/en": (
        "text/html; charset=utf-8",
        html_page("Shaping Europe’s digital future", site_name="Shaping Europe’s digital future"),
    ),
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_bundle(tls_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return path


def start_tls_server(tls_ca: trustme.CA, hosts: tuple[str, ...]) -> HTTPServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert(*hosts).configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    return server


@dataclass
class SeedSite:
    server: HTTPServer
    ca_bundle: Path

    @property
    def resolve_args(self) -> list[str]:
        args: list[str] = []
        for host in SEED_HOSTS:
            args += ["--resolve", f"{host}:443:127.0.0.1:{self.server.port}"]
        return args

    @property
    def args(self) -> list[str]:
        return [*self.resolve_args, "--ca-bundle", str(self.ca_bundle)]

    def serve(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict[str, str] | None = None) -> None:
        self.server.expect_request(path).respond_with_data(
            body, status=status, content_type=content_type, headers=headers or {}
        )


@pytest.fixture
def seed_site(tls_ca: trustme.CA, ca_bundle: Path) -> Iterator[SeedSite]:
    """HTTPS server answering for every seed host (its certificate names them all)."""
    server = start_tls_server(tls_ca, SEED_HOSTS)
    site = SeedSite(server=server, ca_bundle=ca_bundle)
    try:
        yield site
    finally:
        server.clear()
        server.stop()


def serve_seed_pages(site: SeedSite, overrides: dict[str, tuple[str, bytes]] | None = None) -> None:
    pages = {**SEED_PAGES, **(overrides or {})}
    for path, (content_type, body) in pages.items():
        site.serve(path, body, content_type)
