"""Security headers on every response, bounded request bodies, and no cross-site writes.

A plain ASGI middleware so it wraps everything the app answers: pages, the
API, static files and error responses alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: every script and stylesheet is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make browsers send Origin: null
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_MAX_BODY_BYTES = 1_000_000


class _BodyTooLarge(Exception):
    pass


class SecurityMiddleware:
    """Adds the security headers, refuses bodies over a limit (413) and cross-site writes (403)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        headers = Headers(scope=scope)
        if scope["method"] not in SAFE_METHODS:
            if not _same_origin(scope, headers):
                await _refuse(send_secured, 403, "cross-site requests may not change anything")
                return
            declared = headers.get("content-length")
            if declared is not None and (
                not declared.isdigit() or int(declared) > self.max_body_bytes
            ):
                await _refuse(send_secured, 413, self._too_large())
                return
            try:
                body = await _read_body(receive, self.max_body_bytes)
            except _BodyTooLarge:
                await _refuse(send_secured, 413, self._too_large())
                return
            receive = _replay(body, receive)
        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            # Answer here, with the headers, before the server logs the error.
            if not started:
                await _refuse(send_secured, 500, "internal error; the server log has the details")
            raise

    def _too_large(self) -> str:
        return f"request body over {self.max_body_bytes} bytes; send less"


def _same_origin(scope: Scope, headers: Headers) -> bool:
    """True unless a browser says the request comes from another site."""
    if headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-origin request (curl, scripts, tests)
    host = headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body, or ``_BodyTooLarge`` as soon as it passes ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, upstream: Receive) -> Receive:
    """Hands the buffered body to the app once, then passes on the server's messages."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
