"""Measure Accord: queries, time and size per page, audit throughput, seed time and memory.

    python bench/run.py [--scale N] [--requests K] [--json FILE] [--database-url URL]
    python bench/run.py --scale 10 --check-growth

Every run starts from a fresh database (SQLite in a temporary directory, or a database created on
the PostgreSQL server at --database-url and dropped afterwards), migrates it, seeds the demo
council and grows it `--scale` times. `--check-growth` runs scale 1 and then scale N, each in its
own process, and exits 1 if any page makes more queries at scale N: queries per page must not
grow with the data. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from accord.core.scratch import scratch_database  # noqa: E402
from bench.pages import PAGES, Page  # noqa: E402

__all__ = ["PAGES", "Page", "compare_queries", "main"]

LABEL_WIDTH = max(24, *(len(page.label) for page in PAGES))


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=1, help="people as a multiple of the demo's")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--audit-events", type=int, default=1000, help="events to append")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://user@host:port/db) to create the database on; "
        "SQLite in a temporary directory when omitted",
    )
    parser.add_argument(
        "--check-growth",
        action="store_true",
        help="run scale 1 and scale N; fail if any page's query count grows",
    )
    args = parser.parse_args(argv)
    if args.scale < 1 or args.requests < 1 or args.audit_events < 1:
        parser.error("--scale, --requests and --audit-events must be at least 1")
    if args.check_growth and args.scale < 2:
        parser.error("--check-growth needs --scale 2 or more")
    return args


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _run_once(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as var_dir:
        os.environ["ACCORD_VAR_DIR"] = var_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "accord.settings"
        os.environ["ACCORD_DEBUG"] = "false"
        os.environ.pop("ACCORD_TEST_DATABASE_NAME", None)
        os.environ.pop("DATABASE_URL", None)
        with scratch_database(args.database_url, prefix="accord_bench") as url:
            if url:
                os.environ["DATABASE_URL"] = url
            import django

            django.setup()
            from django.db import connections

            try:
                return _measure(args)
            finally:
                connections.close_all()


def _measure(args: argparse.Namespace) -> dict[str, Any]:
    import time

    from django.core.management import call_command
    from django.db import connection

    from accord.audit.models import AuditEvent
    from accord.demo.services import demo_seed
    from accord.directory.models import Member, Officer
    from accord.library.models import Acknowledgement, ProtocolReview, ProtocolVersion
    from bench.measure import Visitors, measure_audit, measure_page
    from bench.scale import grow_directory, grow_library

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_seconds = time.perf_counter() - started
    seed_seconds = demo_seed().seconds
    scale_seconds = grow_directory(scale=args.scale) + grow_library(scale=args.scale)
    data = {
        "members": Member.objects.count(),
        "officers": Officer.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "protocol_versions": ProtocolVersion.objects.count(),
        "protocol_reviews": ProtocolReview.objects.count(),
        "acknowledgements_asked": Acknowledgement.objects.count(),
        "acknowledged": Acknowledgement.objects.filter(acknowledged_at__isnull=False).count(),
    }
    visitors = Visitors()
    pages = [measure_page(page, visitors, requests=args.requests) for page in PAGES]
    audit = measure_audit(events=args.audit_events)
    return {
        "meta": {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "scale": args.scale,
            "requests_per_page": args.requests,
            "database": connection.vendor,
            "database_version": _database_version(),
            "python": platform.python_version(),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        },
        "data": data,
        "seconds": {
            "migrate": round(migrate_seconds, 2),
            "seed_demo": round(seed_seconds, 2),
            "scale_up": round(scale_seconds, 2),
        },
        "pages": [page.as_dict() for page in pages],
        "audit": {
            "appended": audit.appended,
            "append_per_second": audit.append_per_second,
            "verified": audit.verified,
            "verify_per_second": audit.verify_per_second,
            "chain_ok": audit.chain_ok,
        },
        "peak_rss_mib": _peak_rss_mib(),
    }


def _database_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        number = int(connection.pg_version)  # type: ignore[attr-defined]
        return f"{number // 10000}.{number % 10000}"
    import sqlite3

    return sqlite3.sqlite_version


def _print_report(report: dict[str, Any]) -> None:
    meta, data, seconds, audit = report["meta"], report["data"], report["seconds"], report["audit"]
    print(
        f"\nAccord benchmark, {meta['date']}: {meta['database']} {meta['database_version']}, "
        f"Python {meta['python']}, {meta['machine']}"
    )
    print(
        f"scale {meta['scale']}: {data['members']} members, {data['officers']} officers, "
        f"{data['audit_events']} audit events after seeding; {data['protocol_versions']} "
        f"protocol versions, {data['protocol_reviews']} reviews, "
        f"{data['acknowledged']} of {data['acknowledgements_asked']} acknowledgements made"
    )
    print(
        f"migrate {seconds['migrate']:.1f} s, seed demo {seconds['seed_demo']:.1f} s, "
        f"scale up {seconds['scale_up']:.1f} s\n"
    )
    header = (
        f"{'page':<{LABEL_WIDTH}} {'status':>6} {'queries':>7} {'median ms':>9} {'p95 ms':>8} "
        f"{'KiB':>7}"
    )
    print(header)
    print("-" * len(header))
    for page in report["pages"]:
        print(
            f"{page['label']:<{LABEL_WIDTH}} {page['status']:>6} {page['queries']:>7} "
            f"{page['median_ms']:>9.1f} {page['p95_ms']:>8.1f} {page['bytes'] / 1024:>7.1f}"
        )
    print(
        f"\naudit: append {audit['append_per_second']:.0f} events/s ({audit['appended']} one by "
        f"one), verify {audit['verify_per_second']:.0f} events/s ({audit['verified']} events, "
        f"{'intact' if audit['chain_ok'] else 'BROKEN'})"
    )
    print(f"peak memory (max RSS): {report['peak_rss_mib']:.0f} MiB\n")


def _failures(report: dict[str, Any]) -> list[str]:
    problems = [
        f"{page['label']} ({page['path']}) answered {page['status']}, not 200"
        for page in report["pages"]
        if page["status"] != 200
    ]
    if not report["audit"]["chain_ok"]:
        problems.append("the audit chain did not verify")
    return problems


def compare_queries(
    base: list[dict[str, Any]], scaled: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each page's query count at scale 1 and scale N, and whether it grew."""
    at_one = {page["label"]: page["queries"] for page in base}
    return [
        {
            "label": page["label"],
            "scale_1": at_one[page["label"]],
            "scale_n": page["queries"],
            "grew": page["queries"] > at_one[page["label"]],
        }
        for page in scaled
    ]


def _check_growth(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    """Run scale 1 and scale N in separate processes and compare query counts page by page."""
    runs: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="accord-bench-growth-") as out_dir:
        for scale in (1, args.scale):
            out = Path(out_dir) / f"scale-{scale}.json"
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                f"--scale={scale}",
                f"--requests={args.requests}",
                f"--audit-events={args.audit_events}",
                f"--json={out}",
            ]
            if args.database_url:
                command.append(f"--database-url={args.database_url}")
            result = subprocess.run(command, check=False)  # noqa: S603 - this script, again
            if not out.exists():
                return {}, [f"the scale {scale} run failed (exit {result.returncode})"]
            runs[scale] = json.loads(out.read_text())
    growth = compare_queries(runs[1]["pages"], runs[args.scale]["pages"])
    print(f"{'page':<{LABEL_WIDTH}} {'queries at 1':>12} {'at ' + str(args.scale):>8}")
    problems = _failures(runs[1]) + _failures(runs[args.scale])
    for row in growth:
        flag = "  GREW" if row["grew"] else ""
        print(f"{row['label']:<{LABEL_WIDTH}} {row['scale_1']:>12} {row['scale_n']:>8}{flag}")
        if row["grew"]:
            problems.append(
                f"{row['label']} makes {row['scale_n']} queries at scale {args.scale}, "
                f"{row['scale_1']} at scale 1"
            )
    combined = {"scale_1": runs[1], f"scale_{args.scale}": runs[args.scale], "growth": growth}
    return combined, problems


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.check_growth:
        report, problems = _check_growth(args)
    else:
        report = _run_once(args)
        _print_report(report)
        problems = _failures(report)
    if args.json and report:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
