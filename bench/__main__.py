"""`python -m bench [--quick|--full] [--write]`: run every benchmark and print one table each.

--quick finishes in about a minute; --full is the documented run behind bench/RESULTS.md.
--write also rewrites bench/RESULTS.md with the tables, the machine and the date.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCHES = [
    ("bench.bench_extract", "Quote extraction"),
    ("bench.baseline_textacy", "Extraction baseline: textacy + spaCy"),
    ("bench.bench_ingest", "Ingest"),
    ("bench.bench_match", "Statement matching"),
    ("bench.bench_match:startup_run", "Start-up on a stored database (index rebuilt, then saved)"),
    ("bench.bench_match:calibration_run", "Generated statements beside real quotes"),
    ("bench.eval_alterations", "Alteration detection on real quotes (PolNeAR)"),
    ("bench.bench_digest", "Digest"),
]


def table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "(no rows)\n"
    cols = list(dict.fromkeys(k for r in rows for k in r))
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in cols]
    line = "| " + " | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| "
        + " | ".join(str(r.get(c, "")).ljust(w) for c, w in zip(cols, widths, strict=True))
        + " |"
        for r in rows
    ]
    return "\n".join([line, rule, *body]) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="about a minute (the default)")
    mode.add_argument("--full", action="store_true", help="the documented full run")
    parser.add_argument("--write", action="store_true", help="rewrite bench/RESULTS.md")
    parser.add_argument("--only", help="run only the benchmarks whose module name has this")
    args = parser.parse_args()
    quick = not args.full
    out = [
        "# Benchmark results\n",
        f"Run: `python -m bench {'--quick' if quick else '--full'}` on "
        f"{datetime.now(UTC).date().isoformat()}.\n",
        f"Machine: {machine()}.\n",
    ]
    for entry, title in BENCHES:
        if args.only and args.only not in entry:
            continue
        module_name, _, function = entry.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            print(f"## {title}: not available ({exc})", file=sys.stderr)
            continue
        started = time.perf_counter()
        rows = getattr(module, function or "run")(quick)
        section = f"## {title}\n\n{table(rows)}\n({time.perf_counter() - started:.0f} s)\n"
        print(section, flush=True)
        out.append(section)
    if args.write:
        Path(__file__).with_name("RESULTS.md").write_text("\n".join(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
