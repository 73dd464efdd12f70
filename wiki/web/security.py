"""Security headers on every response (what the browser may load, frame, sniff and send as
referrer), and the protection notice the skin shows on protected pages.

The policy allows only our own scripts and styles. Inline style *attributes* stay allowed
(style-src-attr), because wikitext's style="..." is part of the content MediaWiki keeps; the sanitizer
removes expression(), url() and escapes from them, and they cannot run script. No inline <script>,
no <style> element, no plugin, no foreign image, no framing by another site.
"""

from __future__ import annotations

from flask import Flask, Response

from wiki.access import protection

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def page_protection(title) -> list:
    """The protections in force on `title` (its own, and cascading ones with their source), for the
    lock notice on its page and edit form."""
    if title is None or getattr(title, "namespace", -1) < 0:
        return []
    return protection.in_force(title)


def init(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals["page_protection"] = page_protection
