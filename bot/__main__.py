"""`python -m bot` is the `verbatim` command."""

from bot.entrypoints.cli import main

raise SystemExit(main())
