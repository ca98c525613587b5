"""`verbatim init`: a config file from the example, and a migrated database."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from bot.app.settings import DEFAULT_CONFIG_PATH, EXAMPLE_CONFIG, load_settings


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create verbatim.toml from the example and the database")
    p.add_argument(
        "--force", action="store_true", help="overwrite an existing verbatim.toml with the example"
    )
    p.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
    import os

    from storage.db import open_db

    target = Path(args.config) if args.config else DEFAULT_CONFIG_PATH
    if target.exists() and not args.force:
        print(f"{target} exists; kept it (--force replaces it with the example)")
    else:
        shutil.copyfile(EXAMPLE_CONFIG, target)
        print(f"wrote {target} from {EXAMPLE_CONFIG.name}; edit it, then run `verbatim run`")
    settings = load_settings(target, dict(os.environ), args.db)
    open_db(settings.db_path).close()
    print(f"database ready at {settings.db_path}")
    return 0
