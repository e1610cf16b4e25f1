"""Ingestion and indexing: report files to sections, tables, facts and passages. Imports nothing from assistant/."""

import os

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
