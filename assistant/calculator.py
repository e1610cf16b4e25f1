"""Arithmetic over stated figures: parsed with ast (never eval), each result with its formula."""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass

_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class CalculationError(ValueError):
    """An expression the calculator does not accept (names, calls, division by zero…)."""


def evaluate(expression: str) -> float:
    """Value of an arithmetic expression of numbers, + - * / and parentheses."""
    try:
        tree = ast.parse(expression.replace("×", "*").replace("÷", "/"), mode="eval")
    except SyntaxError as e:
        raise CalculationError(f"无法解析算式：{expression}") from e
    return _eval(tree.body)


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _eval(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Div) and right == 0:
            raise CalculationError("除数为零")
        return _OPERATORS[type(node.op)](left, right)
    raise CalculationError(f"算式中有不允许的内容：{ast.dump(node)[:40]}")


@dataclass(frozen=True)
class Calculation:
    value: float
    formula: str  # e.g. "531.51 ÷ 809.69 × 100% = 65.64%"
    unit: str


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else str(value)


def share(part: float, whole: float) -> Calculation:
    """part as a percentage of whole."""
    value = evaluate(f"{part} / {whole} * 100")
    return Calculation(round(value, 2), f"{_fmt(part)} ÷ {_fmt(whole)} × 100% = {value:.2f}%", "%")


def ratio(a: float, b: float) -> Calculation:
    """How many times b a is ("A是B的几倍")."""
    value = evaluate(f"{a} / {b}")
    return Calculation(round(value, 2), f"{_fmt(a)} ÷ {_fmt(b)} = {value:.2f}倍", "倍")


def difference(a: float, b: float, unit: str) -> Calculation:
    value = evaluate(f"{a} - {b}")
    return Calculation(round(value, 4), f"{_fmt(a)} − {_fmt(b)} = {_fmt(value)}{unit}", unit)


def total(values: list[float], unit: str) -> Calculation:
    expression = " + ".join(str(v) for v in values)
    value = evaluate(expression) if values else 0.0
    return Calculation(round(value, 4), " + ".join(_fmt(v) for v in values) + f" = {_fmt(value)}{unit}", unit)


def rate(executed: float, budget: float) -> Calculation:
    """Execution rate: executed ÷ budget."""
    return share(executed, budget)


def growth(current: float, previous: float) -> Calculation:
    value = evaluate(f"({current} - {previous}) / {previous} * 100")
    return Calculation(
        round(value, 2), f"({_fmt(current)} − {_fmt(previous)}) ÷ {_fmt(previous)} × 100% = {value:.2f}%", "%"
    )


def prior_year(current: float, change: float, unit: str) -> Calculation:
    """Last year's figure from this year's and the stated increase (negative for a decrease)."""
    value = evaluate(f"{current} - ({change})")
    sign = "−" if change >= 0 else "+"
    return Calculation(round(value, 4), f"{_fmt(current)} {sign} {_fmt(abs(change))} = {_fmt(value)}{unit}", unit)
