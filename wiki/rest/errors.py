"""MediaWiki's REST error bodies: messageTranslations, httpCode, httpReason (and the parameter ones)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from werkzeug.http import HTTP_STATUS_CODES


class RestError(Exception):
    """An error answered as MediaWiki's LocalizedHttpException (or a parameter-validation failure)."""

    def __init__(self, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra
        self.retry_after: int | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out["messageTranslations"] = {"en": self.message}
        out["httpCode"] = self.code
        out["httpReason"] = HTTP_STATUS_CODES.get(self.code, "Error")
        return out


def bad_param(name: str, value: str | None, failure: str, message: str, data: Any = None) -> RestError:
    """A 400 parameter-validation-failed error, as MediaWiki's ParamValidator reports it."""
    return RestError(
        400,
        message,
        error="parameter-validation-failed",
        name=name,
        value=value,
        failureCode=failure,
        failureData=data,
    )


def missing_param(name: str) -> RestError:
    return bad_param(name, None, "missingparam", f'The "{name}" parameter must be set.')


def json_body(data: Any, status: int = 200) -> Response:
    """JSON as MediaWiki writes it: UTF-8, slashes not escaped, keys in the order built."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, mimetype="application/json")


def response(error: RestError) -> Response:
    answer = json_body(error.body(), error.code)
    if error.retry_after is not None:
        answer.headers["Retry-After"] = str(error.retry_after)
    return answer
