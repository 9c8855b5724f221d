"""How a request failed: foreign exceptions translated once to an ``ErrorKind`` and a short message.

``classify`` names the most specific kind it can (TLS, DNS, refused connection, reset, malformed
answer, undecodable body …); the message is one line, short enough for a report.
"""

from __future__ import annotations

import socket
import ssl
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

from .models import ErrorKind
from .transport import RefusedAddress

if TYPE_CHECKING:
    from .answer import Answer

__all__ = ["Failure", "classify", "timeout_message"]


class Failure(Exception):
    """An ``ErrorKind`` raised inside the client (an invalid URL), turned into a value at its boundary."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """Map a foreign exception to the most specific ``ErrorKind`` and a short message."""
    if isinstance(exc, Failure):
        return exc.kind, exc.message
    if isinstance(exc, RefusedAddress):
        return ErrorKind.REFUSED_ADDRESS, str(exc)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return ErrorKind.INVALID_URL, f"invalid URL: {_first_line(exc)}"
    if isinstance(exc, zlib.error) or type(exc).__name__ == "error" and "brotli" in type(exc).__module__:
        return ErrorKind.PROTOCOL, "malformed response: body could not be decompressed"
    if isinstance(exc, httpx.DecodingError):
        return ErrorKind.PROTOCOL, "malformed response: body could not be decoded"
    tls = _tls_cause(exc)
    if tls is not None:
        return ErrorKind.TLS, tls
    if isinstance(exc, httpx.RemoteProtocolError):
        text = _first_line(exc)
        if _looks_like_reset(text):
            return ErrorKind.NETWORK, f"connection closed by server ({text})"
        return ErrorKind.PROTOCOL, f"malformed response: {text}"
    if isinstance(exc, httpx.ProxyError):
        return ErrorKind.NETWORK, f"proxy error: {_first_line(exc)}"
    if isinstance(exc, httpx.LocalProtocolError):
        return ErrorKind.PROTOCOL, f"request could not be sent: {_first_line(exc)}"
    if isinstance(exc, httpx.ConnectError):
        return ErrorKind.NETWORK, _connect_message(exc)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return ErrorKind.NETWORK, f"connection reset ({_first_line(exc) or type(exc).__name__})"
    if isinstance(exc, OSError):
        return ErrorKind.NETWORK, f"network error: {exc.strerror or exc}"
    return ErrorKind.NETWORK, f"unexpected error: {type(exc).__name__}: {_first_line(exc)}"


def _looks_like_reset(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in ("disconnected", "peer closed", "incomplete", "connection closed"))


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _tls_cause(exc: BaseException) -> str | None:
    """A short TLS message when ``exc`` comes from the TLS layer, else None."""
    chain = list(_causes(exc))
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate verify failed: {cause.verify_message or 'untrusted certificate'}"
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake failed: {getattr(cause, 'reason', None) or _first_line(cause)}"
    for cause in chain:
        text = _first_line(cause)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            _, _, detail = text.partition("certificate verify failed:")
            detail = detail.split("(_ssl.c", 1)[0].strip()
            return f"TLS certificate verify failed: {detail or 'untrusted certificate'}"
        if "SSL" in text or "TLS" in text:
            return f"TLS handshake failed: {text}"
    return None


def _connect_message(exc: BaseException) -> str:
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "DNS lookup failed"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
    text = _first_line(exc)
    lowered = text.lower()
    if "refused" in lowered or "errno 111" in lowered:
        return "connection refused"
    if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
        return "DNS lookup failed"
    return f"could not connect ({text})" if text else "could not connect"


def timeout_message(exc: BaseException, answer: Answer, timeout: float) -> str:
    if answer.status is None:
        return f"no answer within {timeout:g} s"
    return f"answer not complete within {timeout:g} s (status {answer.status})"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else ""
