"""{{#expr:}} arithmetic, as the ParserFunctions extension's ExprParser evaluates it.

Operator-precedence parsing over two stacks; numbers are floats and are printed the way
PHP prints floats (14 significant digits, `1.0E+20`). Errors carry MediaWiki's messages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

_TOKEN = re.compile(r"\s*(?:(\d[\d.]*|\.[\d.]*)|([a-z]+)|(<=|>=|<>|!=|[-+*/^()=<>]))", re.I)
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "exp": math.exp,
    "ln": math.log,
    "abs": abs,
    "floor": math.floor,
    "ceil": math.ceil,
    "trunc": math.trunc,
    "sqrt": math.sqrt,
}
_BINARY = {
    "e": 10,
    "^": 8,
    "*": 7,
    "/": 7,
    "div": 7,
    "mod": 7,
    "fmod": 7,
    "+": 6,
    "-": 6,
    "round": 5,
    "=": 4,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "<>": 4,
    "!=": 4,
    "and": 3,
    "or": 2,
}
_MAX_STACK = 100


class ExprError(Exception):
    """An expression MediaWiki would reject; str() is the message shown."""


def _fmt(value: float) -> str:
    if isinstance(value, bool):
        value = float(value)
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    text = f"{value:.14G}"
    if "E" in text:
        mantissa, exponent = text.split("E")
        if "." not in mantissa:
            mantissa += ".0"
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}E{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def _apply(op: str, operands: list[float]) -> None:
    if op in ("neg", "pos", "not") or op in _FUNCTIONS:
        if not operands:
            raise ExprError(f"Expression error: Missing operand for {_name(op)}.")
        a = operands.pop()
        operands.append(_unary(op, a))
        return
    if len(operands) < 2:
        raise ExprError(f"Expression error: Missing operand for {_name(op)}.")
    b = operands.pop()
    a = operands.pop()
    operands.append(_binary(op, a, b))


def _name(op: str) -> str:
    return {"neg": "-", "pos": "+"}.get(op, op)


def _unary(op: str, a: float) -> float:
    if op == "neg":
        return -a
    if op == "pos":
        return a
    if op == "not":
        return float(not a)
    if op in ("asin", "acos") and not -1 <= a <= 1:
        raise ExprError(f"Invalid argument for {op}: < -1 or > 1.")
    if op == "ln" and a <= 0:
        raise ExprError("Invalid argument for ln: <= 0.")
    if op == "sqrt" and a < 0:
        raise ExprError("In sqrt: result is not a number.")
    try:
        return float(_FUNCTIONS[op](a))
    except (OverflowError, ValueError):
        return math.inf


def _binary(op: str, a: float, b: float) -> float:
    try:
        if op == "e":
            return a * 10**b
        if op == "^":
            result = a**b
            if isinstance(result, complex):
                raise ExprError("In ^: result is not a number.")
            return float(result)
        if op == "*":
            return a * b
        if op in ("/", "div"):
            if b == 0:
                raise ExprError("Division by zero.")
            return a / b
        if op == "mod":
            a, b = int(a), int(b)
            if b == 0:
                raise ExprError("Division by zero.")
            return float(math.fmod(a, b))
        if op == "fmod":
            if b == 0:
                raise ExprError("Division by zero.")
            return math.fmod(a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "round":
            digits = int(b)
            scale = 10.0**digits
            value = abs(a) * scale
            rounded = math.floor(value + 0.5) / scale
            return math.copysign(rounded, a)
        if op in ("=", "<", ">", "<=", ">=", "<>", "!="):
            return float(_compare(op, a, b))
        if op == "and":
            return float(bool(a) and bool(b))
        return float(bool(a) or bool(b))
    except OverflowError:
        return math.inf


def _compare(op: str, a: float, b: float) -> bool:
    return {
        "=": a == b,
        "<": a < b,
        ">": a > b,
        "<=": a <= b,
        ">=": a >= b,
        "<>": a != b,
        "!=": a != b,
    }[op]


def _prec(op: str) -> int:
    if op in ("neg", "pos"):
        return 10
    if op == "(":
        return -1
    if op == "not" or op in _FUNCTIONS:
        return 9
    return _BINARY[op]


def evaluate(text: str) -> str:
    """The value of expression `text` as MediaWiki prints it; raises ExprError."""
    operands: list[float] = []
    operators: list[str] = []
    expecting_operand = True
    pos, n = 0, len(text)
    while pos < n:
        if len(operands) > _MAX_STACK or len(operators) > _MAX_STACK:
            raise ExprError("Expression error: Stack exhausted.")
        m = _TOKEN.match(text, pos)
        if not m:
            rest = text[pos:].lstrip()
            if not rest:
                break
            raise ExprError(f'Expression error: Unrecognized punctuation character "{rest[0]}".')
        pos = m.end()
        number, word, symbol = m.groups()
        if number is not None:
            if not expecting_operand:
                raise ExprError("Expression error: Unexpected number.")
            try:
                operands.append(float(number))
            except ValueError:
                digits = re.match(r"\d*\.?\d*", number)
                operands.append(float(digits.group(0) or 0 if digits else 0))
            expecting_operand = False
            continue
        op = (word or symbol).lower()
        if op in ("pi", "e") and expecting_operand:
            operands.append(math.pi if op == "pi" else math.e)
            expecting_operand = False
            continue
        if word is not None and op not in _BINARY and op not in _FUNCTIONS and op != "not":
            raise ExprError(f'Expression error: Unrecognized word "{op}".')
        if expecting_operand:
            if op == "(":
                operators.append(op)
            elif op in ("-", "+"):
                operators.append("neg" if op == "-" else "pos")
            elif op == "not" or op in _FUNCTIONS:
                operators.append(op)
            elif op == ")":
                raise ExprError("Expression error: Unexpected closing bracket.")
            else:
                raise ExprError(f"Expression error: Unexpected {op} operator.")
            continue
        if op == ")":
            while operators and operators[-1] != "(":
                _apply(operators.pop(), operands)
            if not operators:
                raise ExprError("Expression error: Unexpected closing bracket.")
            operators.pop()
            continue
        if op == "(" or op == "not" or op in _FUNCTIONS:
            raise ExprError(f"Expression error: Unexpected {op} operator.")
        while operators and _prec(op) <= _prec(operators[-1]):
            _apply(operators.pop(), operands)
        operators.append(op)
        expecting_operand = True
    while operators:
        op = operators.pop()
        if op == "(":
            raise ExprError("Expression error: Unclosed bracket.")
        _apply(op, operands)
    return "\n".join(_fmt(v) for v in operands)
