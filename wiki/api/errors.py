"""API errors and warnings as MediaWiki reports them: HTTP 200 with {"error": {"code", "info"}}."""

from __future__ import annotations


class ApiError(Exception):
    """Stops the module; answered as {"error": {"code": code, "info": info}}."""

    def __init__(self, code: str, info: str, **extra):
        super().__init__(info)
        self.code = code
        self.info = info
        self.extra = extra


def missing_param(name: str) -> ApiError:
    return ApiError("missingparam", f'The "{name}" parameter must be set.')


def bad_value(name: str, value: str) -> ApiError:
    return ApiError("badvalue", f'Unrecognized value for parameter "{name}": {value}.')


def bad_integer(name: str, value: str) -> ApiError:
    return ApiError("badinteger", f'Invalid value "{value}" for integer parameter "{name}".')


def bad_token() -> ApiError:
    return ApiError("badtoken", "Invalid CSRF token.")


def must_post(module: str) -> ApiError:
    return ApiError("mustbeposted", f'The "{module}" module requires a POST request.')


class Warnings:
    """Warnings collected while answering, grouped by module as in {"warnings": {"main": ...}}."""

    def __init__(self) -> None:
        self.by_module: dict[str, list[str]] = {}

    def add(self, module: str, text: str) -> None:
        texts = self.by_module.setdefault(module, [])
        if text not in texts:
            texts.append(text)

    def __bool__(self) -> bool:
        return bool(self.by_module)
