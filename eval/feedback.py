"""`python -m eval --from-feedback [FEEDBACK.jsonl] [-o DRAFT.jsonl]`: the web chat's 👍/👎 as a draft gold set.

Each line of the feedback file (written by the web chat under the data directory) is one mark on one answer;
a correction typed after 👎 is a later line with the same id. The draft keeps, per answer, its last mark:

- 👎 with a corrected figure ("264.87万元", "86.3%") → a `lookup` line with that figure (what users marked wrong
  is what the eval most needs);
- 👎 with a correction saying the report has no such figure ("报告里没有") → an `unanswerable` line;
- 👍 on an answer with a figure → a `lookup` line with the figure the assistant gave;
- everything else (👎 with no or a wordy correction, a follow-up that needs its earlier questions) is listed for
  review, not guessed.

Every draft line is marked `"draft": true` and names its report; review the types (lookup or calc) and values
before using it as gold (`python -m eval DRAFT.jsonl --report PATH`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from eval.metrics import parse_gold_item

_FIGURE = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|%|％|人|个|辆|家|项|次)?")
_ABSENT = re.compile(r"没有|未(?:公开|列出|提及)|无此|不存在|无法回答")


def read_feedback(path: Path) -> list[dict]:
    """The marks in the file, the last line per answer id winning (a correction follows its 👎)."""
    marks: dict[str, dict] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path} 第{number}行不是 JSON：{e}") from e
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("question"):
            raise ValueError(f"{path} 第{number}行缺少 id 或 question")
        marks[str(entry["id"])] = entry
    return list(marks.values())


def figure(text: str) -> tuple[float, str] | None:
    """The one figure a short answer states ('264.87万元' → (264.87, '万元')); None for none or several."""
    found = [(m.group(1), m.group(2) or "") for m in _FIGURE.finditer(text or "")]
    if len(found) != 1:
        return None
    value, unit = found[0]
    return float(value.replace(",", "")), "%" if unit == "％" else unit


def draft_line(entry: dict) -> dict | None:
    """The gold line a mark supports, or None when it needs a person to write it."""
    if entry.get("context"):
        return None  # a follow-up: asked alone it means something else
    base = {"id": f"fb-{entry['id']}", "question": entry["question"].strip(), "report": entry.get("report", ""),
            "draft": True}
    correction = (entry.get("correction") or "").strip()
    if entry.get("liked"):
        stated = figure(str(entry.get("answer", "")))
        if stated is None:
            return None
        source = "feedback:👍"
    elif correction:
        stated = figure(correction)
        if stated is None:
            if _ABSENT.search(correction):
                return {**base, "type": "unanswerable", "source": "feedback:👎"}
            return None
        source = "feedback:👎"
    else:
        return None
    value, unit = stated
    line = {**base, "type": "lookup", "values": [value], "unit": unit, "tol": 0.005, "source": source}
    parse_gold_item(line)  # a draft line is a valid gold line
    return line


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Write the draft gold set; 0 when written, 2 when the feedback file cannot be read."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m eval --from-feedback",
                                     description="把网页上的 👍/👎 反馈整理成评测集草稿（JSONL）")
    parser.add_argument("feedback", nargs="?", help="反馈文件（默认：数据目录下的 feedback.jsonl）")
    parser.add_argument("-o", "--output", help="草稿写到哪里（默认：反馈文件旁的 feedback-draft.jsonl）")
    args = parser.parse_args(argv)
    if args.feedback:
        path = Path(args.feedback)
    else:
        from assistant.settings import load_settings

        path = Path(load_settings().data_dir) / "feedback.jsonl"
    try:
        marks = read_feedback(path)
    except (OSError, ValueError) as e:
        print(f"无法读取反馈文件：{e}", file=stderr)
        return 2
    lines, review = [], []
    for entry in marks:
        line = draft_line(entry)
        (lines if line else review).append(line or entry)
    output = Path(args.output) if args.output else path.with_name("feedback-draft.jsonl")
    output.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    disliked = sum(1 for line in lines if line["source"].endswith("👎"))
    print(f"{len(marks)} 条反馈 → {len(lines)} 道草稿题（{disliked} 道来自 👎 的更正），写入 {output}", file=stdout)
    if review:
        print(f"另有 {len(review)} 条需要人工补答案：", file=stdout)
        for entry in review:
            mark = "👍" if entry.get("liked") else "👎"
            why = "追问（需要上文）" if entry.get("context") else (entry.get("correction") or "没有给出正确答案")
            print(f"- {mark} {entry['question']}（{entry.get('report', '')}）：{why}", file=stdout)
    return 0
