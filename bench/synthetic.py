"""Synthetic reports derived from the bundled sample texts: another department, year and scaled amounts.

Amounts (万元 with two decimals) are multiplied by a whole factor, so every check formula still holds;
percentages, codes, row numbers and counts are kept. `write_reports` cycles through the three sample
texts (武汉 汉阳区 企业服务中心 and 市场监督管理局, 上海 普陀区 规划和自然资源局), so a corpus mixes two
regions' layouts, and gives every report its own factor, so that no two departments print the same amounts
(as in a real corpus, they share template sentences and headings, not figures).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from assistant.settings import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "samples"
SAMPLE_TEXT = SAMPLES / "hanyang-qifu-2023.txt"
SAMPLE_DEPARTMENT = "武汉市汉阳区企业服务中心"
# (text, its department's full name, the short name it also goes by in the text)
BASES = (
    (SAMPLE_TEXT, SAMPLE_DEPARTMENT, "汉阳区企业服务中心"),
    (SAMPLES / "hanyang-scjgj-2023.txt", "武汉市汉阳区市场监督管理局", "汉阳区市场监督管理局"),
    (SAMPLES / "putuo-ghzy-2024.txt", "上海市普陀区规划和自然资源局", "普陀区规划和自然资源局"),
)
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?![\d.%])")
_YEARS = re.compile(r"20(2[1-5])")


@lru_cache(maxsize=8)
def _name_pattern(name: str) -> re.Pattern:
    """The name, also when a cover breaks it across lines."""
    return re.compile(r"\s*".join(map(re.escape, name)))


def make_report_text(
    *, department: str, year: int = 2023, factor: int = 1, base: Path = SAMPLE_TEXT,
    base_department: str = SAMPLE_DEPARTMENT, base_short: str = "汉阳区企业服务中心", base_year: int = 2023,
) -> str:
    """A sample report rewritten for another department and year, amounts × factor."""
    text = base.read_text(encoding="utf-8")
    text = _name_pattern(base_department).sub(department, text).replace(base_short, department)
    text = _YEARS.sub(lambda m: str(int(m.group(0)) - base_year + year), text)

    def scale(m: re.Match) -> str:
        value = float(m.group(0).replace(",", "")) * factor
        return f"{value:.{len(m.group(2))}f}"

    return _AMOUNT.sub(scale, text) if factor != 1 else text


def write_reports(folder: Path, count: int, *, year: int = 2023, varied: bool = True) -> list[Path]:
    """count synthetic reports (测试局1 … 测试局N) as text files in folder; varied: from all three samples."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        base, department, short = BASES[(i - 1) % len(BASES)] if varied else BASES[0]
        base_year = int(re.search(r"(20\d\d)\.txt$", base.name).group(1))
        path = folder / f"synthetic-{i:03d}-{year}.txt"
        text = make_report_text(
            department=f"测试区测试局{i}", year=year, factor=1 + i, base=base,
            base_department=department, base_short=short, base_year=base_year,
        )
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
