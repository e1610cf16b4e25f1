"""Synthetic reports derived from the bundled sample: another department, year and scaled amounts.

Amounts (万元 with two decimals) are multiplied by a whole factor, so every check formula still holds;
percentages, codes, row numbers and counts are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.settings import PROJECT_ROOT

SAMPLE_TEXT = PROJECT_ROOT / "samples" / "hanyang-qifu-2023.txt"
SAMPLE_DEPARTMENT = "武汉市汉阳区企业服务中心"
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?![\d.%])")
_YEARS = re.compile(r"20(2[1-5])")


def make_report_text(*, department: str, year: int = 2023, factor: int = 1, base: Path = SAMPLE_TEXT) -> str:
    """The sample report rewritten for another department and year, amounts × factor."""
    text = base.read_text(encoding="utf-8")
    text = text.replace(SAMPLE_DEPARTMENT, department).replace("汉阳区企业服务中心", department)
    text = _YEARS.sub(lambda m: str(int(m.group(0)) - 2023 + year), text)

    def scale(m: re.Match) -> str:
        value = float(m.group(0).replace(",", "")) * factor
        return f"{value:.{len(m.group(2))}f}"

    return _AMOUNT.sub(scale, text) if factor != 1 else text


def write_reports(folder: Path, count: int, *, year: int = 2023) -> list[Path]:
    """count synthetic reports (测试局1 … 测试局N) as text files in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        path = folder / f"synthetic-{i:03d}-{year}.txt"
        path.write_text(
            make_report_text(department=f"武汉市汉阳区测试局{i}", year=year, factor=1 + i % 5), encoding="utf-8"
        )
        paths.append(path)
    return paths
