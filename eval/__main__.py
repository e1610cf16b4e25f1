"""`python -m eval GOLD.jsonl --report PATH`: see eval/README.md."""

from eval.runner import main

if __name__ == "__main__":  # not when a pool's process imports it
    raise SystemExit(main())
