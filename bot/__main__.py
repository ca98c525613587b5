"""`python -m bot` is the `verbatim` command."""

from bot.cli import main

raise SystemExit(main())
