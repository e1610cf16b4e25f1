"""Lines from PDF geometry: offset digits, justified text, the PDF's own spaces."""

from __future__ import annotations

from index.pdf import text_lines


def _chars(text: str, *, x: float, top: float, size: float = 12.0, advance: float | None = None) -> list[dict]:
    step = advance or size
    return [
        {"text": ch, "x0": x + i * step, "x1": x + i * step + size * (0.5 if ch.isascii() else 1.0),
         "top": top, "bottom": top + size}
        for i, ch in enumerate(text)
    ]


def test_digits_set_below_the_chinese_text_stay_on_its_line():
    # "本年收入合计 9746.50": the figures sit 5 pt lower, as some exports print them.
    chars = _chars("本年收入合计", x=50, top=100) + _chars("9746.50", x=200, top=105, size=10, advance=6)
    chars += _chars("本年支出合计", x=50, top=124)  # the next line
    lines = text_lines(chars)
    assert [ln["text"] for ln in lines] == ["本年收入合计 9746.50", "本年支出合计"]


def test_justified_chinese_is_one_word_and_numbers_stay_apart():
    chars = _chars("本年收入合计", x=50, top=100, advance=30)  # "本 年 收 入 合 计" spread over the cell
    chars += _chars("12.00", x=300, top=100, size=10, advance=6) + _chars("3.50", x=360, top=100, size=10, advance=6)
    assert [ln["text"] for ln in text_lines(chars)] == ["本年收入合计 12.00 3.50"]


def test_lines_are_in_reading_order_and_keep_printed_spaces():
    chars = _chars("第二行", x=50, top=140) + _chars("2023", x=50, top=100, size=10, advance=6)
    chars += [{"text": " ", "x0": 74, "x1": 77, "top": 100, "bottom": 110}] + _chars("年度", x=77, top=100)
    assert [ln["text"] for ln in text_lines(chars)] == ["2023 年度", "第二行"]
