from assistant.cli import main

if __name__ == "__main__":  # not when a pool's process imports it
    raise SystemExit(main())
