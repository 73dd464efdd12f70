"""The ceiling of our stack: a bare Flask app on the same gunicorn settings, returning the same HTML
bytes from memory (BENCH_HTML names the file holding them)."""

from __future__ import annotations

import os

from flask import Flask, Response

BODY = open(os.environ["BENCH_HTML"], "rb").read()  # noqa: SIM115 - read once at import
app = Flask(__name__)


@app.route("/wiki/<path:name>")
def page(name: str) -> Response:
    return Response(BODY, mimetype="text/html")
