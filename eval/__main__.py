"""`python -m eval GOLD.jsonl --report PATH`: see eval/README.md."""

from eval.runner import main

raise SystemExit(main())
