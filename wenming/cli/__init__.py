"""The command line: `python -m wenming import|summary|history|restore-import|backup|restore|review|users|evidence|update|wall|sample|bench`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from wenming import text
from wenming.cli import evidence as cli_evidence
from wenming.cli import update as cli_update
from wenming.cli import users as cli_users
from wenming.cli import wall as cli_wall
from wenming.cli import words as words_cli
from wenming.cli.common import _date, _user
from wenming.cli.tables import format_summary, frame_table
from wenming.figures import at
from wenming.figures import summary as summary_mod
from wenming.read import values
from wenming.read.guard import Refused
from wenming.render import plain
from wenming.store import Store, StoreLocked, auth, db_path, words

T = TypeVar("T")

MAX_WARNINGS_SHOWN = 20
# What `import FOLDER` takes from a folder; a file named on its own is told by its content, whatever its name.
FOLDER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".xlsb", ".ods", ".csv", ".tsv")


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $WENMING_DB or data/wenming.duckdb)")
    common.add_argument("--lang", choices=text.LANGS, help="language of messages (default: zh)")

    root = argparse.ArgumentParser(prog="python -m wenming", description="文明创建工作看板 command line")
    commands = root.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", parents=[common], help="import tracker workbooks, each all or nothing")
    imp.add_argument(
        "files", nargs="+", type=Path, help="workbooks, or folders of them (their .xlsx, .xls, .csv … files)"
    )
    imp.add_argument("--as-of", type=_date, help="reference date for sheets without a 截至 date (default: today)")
    imp.add_argument(
        "--user",
        default=None,
        help="who imports: with users set up, a registered user whose rights apply (required); "
        "else the name recorded in the import log (default: login name)",
    )
    imp.add_argument(
        "--accept-fewer",
        action="store_true",
        help="import even a sheet with far fewer rows than the data it replaces (refused by default: a wrong or cut-down file)",
    )

    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=role",
        help="read a header as a role from now on (taught once, kept for every later import; repeatable)",
    )
    imp.add_argument(
        "--preview", action="store_true", help="show each sheet's header cells, their roles and warnings; store nothing"
    )

    summ = commands.add_parser("summary", parents=[common], help="print the headline figures")
    summ.add_argument(
        "--as-of", type=_date, help="date the figures are as of (default: the data's latest 截至, at most today)"
    )
    summ.add_argument("--department", action="append", help="only this department (repeatable)")
    summ.add_argument("--json", action="store_true", help="print one JSON object")

    commands.add_parser("history", parents=[common], help="list every import")
    words_cli.add_parser(commands, common)
    cli_users.users_parser(commands, common)
    cli_evidence.add_parsers(commands, common)
    cli_update.add_parser(commands, common)
    cli_wall.add_parser(commands, common)
    back = commands.add_parser(
        "backup", parents=[common], help="copy the database and its imported originals into a new or empty folder"
    )
    back.add_argument("folder", type=Path)
    back_in = commands.add_parser("restore", parents=[common], help="replace the database by a backup made by `backup`")
    back_in.add_argument("folder", type=Path)
    back_in.add_argument("--force", action="store_true", help="replace a database that already holds data")

    rest = commands.add_parser("restore-import", parents=[common], help="bring back the rows of an earlier import")
    rest.add_argument("import_id", type=int)
    rest.add_argument("--kind", choices=("tasks", "scores", "issues", "activities", "headcount", "surveys"))
    rest.add_argument("--department")
    rest.add_argument("--user", default=None)

    void = commands.add_parser(
        "void",
        parents=[common],
        help="void an import (e.g. one dated wrongly): the figures behave as if it had not happened",
        description="The import stays in the history, marked voided; --undo counts it again. Admins only: "
        "with users set up, --user must name an admin. Every void and un-void is in the audit log.",
    )
    void.add_argument("import_id", type=int)
    void.add_argument("--undo", action="store_true", help="count a voided import again")
    void.add_argument("--user", default=None)

    rev = commands.add_parser(
        "review",
        parents=[common],
        help="write a month's or quarter's review as offline HTML and Excel",
        description="The 月度例会 review with the same figures as the dashboard's 月度例会 page; a review frozen "
        "on the page is written as it was frozen. Schedule it (cron) and mail the files.",
    )
    period = rev.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", help="the month under review, YYYY-MM")
    period.add_argument("--quarter", help="the quarter under review, YYYY-Q1 … YYYY-Q4")
    rev.add_argument(
        "--as-of",
        type=_date,
        help="the date the data is read as of, for a period still running (default: the data's latest 截至)",
    )
    rev.add_argument("--html", type=Path, help="write the review as one self-contained HTML file")
    rev.add_argument("--xlsx", type=Path, help="write the tables behind the review as an Excel workbook")
    rev.add_argument("--supervision", type=Path, help="folder for one 督办单 (Excel) per department")
    rev.add_argument("--fresh", action="store_true", help="recompute even if the review was frozen on the page")
    rev.add_argument(
        "--json",
        action="store_true",
        help='print {"period", "as_of", "current", "previous", "quarter_ago"}, each as `summary --json` prints it',
    )

    sample = commands.add_parser("sample", help="write the sample workbooks and blank templates")
    sample.add_argument("--out", type=Path, default=None, help="folder of the samples (default: data/sample)")
    sample.add_argument(
        "--templates", type=Path, default=None, help="folder of the templates (default: data/templates)"
    )
    bench = commands.add_parser(
        "bench",
        help="measure import and page speed on generated trackers of 1k to 1M tasks",
        description=BENCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument("--sizes", default="1k,10k,100k,1M", help="tracker sizes to import (default: %(default)s)")
    bench.add_argument(
        "--pages",
        default="100k,1M",
        help="sizes at which to time every page's queries and AppTest reruns; 'none' to skip (default: %(default)s)",
    )
    bench.add_argument(
        "--browser",
        default=None,
        help="sizes at which to time pages and slides in chromium; 'none' to skip (default: 100k if --pages has it)",
    )
    bench.add_argument("--no-browser", action="store_true", help="skip the browser part (same as --browser none)")
    bench.add_argument(
        "--shapes",
        default="all",
        help="tracker shapes to import: repeating, realistic or all (default: %(default)s)",
    )
    bench.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is kept (default: 3)")
    bench.add_argument("--no-naive", action="store_true", help="skip the naive pandas.read_excel path (slow at 1M)")
    bench.add_argument("--out", type=Path, default=None, help="JSON file of the figures (default: bench/results/)")
    bench.add_argument("--cache", type=Path, default=None, help="folder of generated trackers (default: bench/cache)")
    return root


BENCH_HELP = """\
Measure how fast the dashboard is at every size, on trackers it generates itself.

For each size a 任务分解表 is written once (and kept in --cache): title rows with a
截至 date, merged 测评项目/测评内容 cells, deadlines such as 6月底前, 2026年9月底 and
长期坚持, statuses such as √, 推进中 and 60%, a 合计 row and footer rows. It comes in
two shapes (--shapes): "repeating", whose task texts cycle through the sample's few
hundred, and "realistic", where every task is a sentence of its own, departments are
joint (办公室、工会), people's names vary and 小计 rows follow some 测评内容. Then:

  import   read + validate + store through the real import, each run in a fresh
           process; the naive path (pandas.read_excel with openpyxl, then the frame
           into DuckDB) on the same file; the ratio naive / ours; peak memory; and
           the figures both paths agree on (task rows, done tasks), which must match.
  pages    at the --pages sizes, with the sample's other trackers beside the big one:
           each page's queries, a warm rerun of each page through AppTest, the first
           page of a fresh app process and that process's peak memory. Each page runs
           in its own app process; one that runs past 300 s or 6 GB is stopped and
           reported. Also the task list's queries (count, pages, a search, a sort).
  browser  at the --browser sizes: the real app (streamlit run) in chromium, each
           page's time from navigation to the last chart drawn (first visit and
           later visits), the next slide in 演示模式 and the app's peak memory.

Figures are medians of --repeat runs. A table is printed and every figure is written
to a JSON file. Absolute times depend on the machine; compare ratios across machines.

examples:
  python -m wenming bench                                   # 1k, 10k, 100k, 1M (about 20 minutes on 2 cores)
  python -m wenming bench --sizes 1k,10k,100k --pages 100k --repeat 3 --out bench/results/small.json
  python -m wenming bench --sizes 200 --pages none --no-browser --repeat 1
  python -m wenming bench --sizes 100k --shapes realistic --pages none   # the import on offices' trackers
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "lang", None):
        text.use(args.lang)
    try:
        return COMMANDS[args.command](args)
    except StoreLocked as error:
        print(error, file=sys.stderr)
        return 1
    except Refused as refused:  # a user's rights (restore-import by a non-admin), or a busy store
        print(refused.message(), file=sys.stderr)
        return 1
    except Exception as error:  # the command line prints one sentence, never a traceback
        log_file = _log_error(args)
        print(text.t("cli.internal_error", error=type(error).__name__, log=log_file), file=sys.stderr)
        return 1


def _log_error(args: argparse.Namespace) -> Path:
    """Write the traceback beside the database, for the administrator."""
    log_file = db_path(getattr(args, "db", None)).with_suffix(".log")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.touch(mode=0o600)  # tracebacks name files and data: owner-only
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    with log_file.open("a", encoding="utf-8") as out:
        out.write(f"{stamp} python -m wenming {args.command} failed\n{traceback.format_exc()}\n")
    return log_file


def cmd_import(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    user = args.user or _user()
    if auth.has_users(store):  # the same rights as on the page: --user must name an enabled user
        try:
            auth.actor(store, args.user or "")
        except auth.Forbidden as refused:
            print(refused.message() if args.user else text.t("cli.need_user"), file=sys.stderr)
            store.close()
            return 1
    if args.map:
        try:
            words_cli.teach(store, args.map, kind="header", by=user)
        except words.WordError as error:
            print(error.message(), file=sys.stderr)
            store.close()
            return 1
    paths, failed = _files(args.files)
    for path in paths:
        if args.preview and path.is_file():
            try:
                words_cli.print_preview(store.parse(path.read_bytes(), path.name, as_of=args.as_of))
            except Refused as refused:
                print(refused.message(), file=sys.stderr)
                failed += 1
            continue
        if not path.is_file():
            print(text.t("cli.no_file", file=path), file=sys.stderr)
            failed += 1
            continue
        try:
            result = store.import_file(
                path.read_bytes(), path.name, user=user, as_of=args.as_of, accept_fewer=args.accept_fewer
            )
        except Refused as refused:
            print(refused.message(), file=sys.stderr)
            failed += 1
            continue
        if result.duplicate_of is not None:
            print(text.t("warn.duplicate_file", file=path.name, import_id=result.duplicate_of))
            continue
        print(text.t("cli.imported", file=path.name, import_id=result.import_id, seconds=result.seconds))
        for sheet in result.sheets:
            ref = text.t("cli.sheet_ref", date=sheet["ref_date"]) if sheet.get("ref_date") else ""
            kind = text.t(f"kind.{sheet['kind']}")
            print(text.t("cli.sheet", sheet=sheet["sheet"], kind=kind, rows=sheet["rows"], ref=ref))
        if result.warnings:
            print(text.t("cli.warnings", count=len(result.warnings)))
            for warning in result.warnings[:MAX_WARNINGS_SHOWN]:
                print(f"    {warning.message()}")
            if len(result.warnings) > MAX_WARNINGS_SHOWN:
                print(text.t("cli.more_warnings", count=len(result.warnings) - MAX_WARNINGS_SHOWN))
    store.close()
    return 1 if failed else 0


def _files(named: list[Path]) -> tuple[list[Path], int]:
    """The files named, a folder standing for the workbooks in it (by name; not its subfolders, nor
    Office's ~$ lock files or hidden files), and how many folders held none."""
    found, empty = [], 0
    for path in named:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES and not p.name.startswith(("~$", "."))
        )
        if not inside:
            print(text.t("cli.empty_folder", folder=path, suffixes=" ".join(FOLDER_SUFFIXES)), file=sys.stderr)
            empty += 1
        found += inside
    return found, empty


def cmd_summary(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    departments, unknown = _departments(store, args.department)
    if unknown:
        known = text.t("sep.list").join(store.query("departments")["department"])
        named = text.t("sep.list").join(unknown)
        print(text.t("cli.unknown_department", departments=named, known=known), file=sys.stderr)
        store.close()
        return 1
    figures = summary_mod.build(store, args.as_of or _default_date(store), departments)
    store.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(format_summary(figures))
    return 0


def _departments(store: Store, named: list[str] | None) -> tuple[list[str] | None, list[str]]:
    """The --department names as the workbooks' names are read ("办 公 室" is 办公室, aliases applied),
    and those in no data (their figures would be zeros that mean nothing)."""
    if not named:
        return None, []
    aliases = store.aliases()
    wanted = [values.department(name, aliases) or name for name in named]
    known = set(store.query("departments")["department"])
    return wanted, [name for name in wanted if name not in known]


def _default_date(store: Store) -> dt.date:
    """The data's latest 截至, never later than today: the pages' default date too."""
    return at.default_date(at.data_until(store.query))


HISTORY_COLUMNS = ["import_id", "imported_at", "user_name", "action", "file_name", "rows", "warning_count"]


def cmd_history(args: argparse.Namespace) -> int:
    from wenming.store import voids

    store = Store.open(args.db)
    frame = store.imports()[HISTORY_COLUMNS]
    gone = voids.voided(store)
    store.close()
    frame["action"] = [text.t(f"action.{a}") for a in frame["action"]]
    frame.loc[frame["import_id"].isin(list(gone)), "action"] = text.t("cli.voided")
    frame["rows"] = frame["rows"].map(plain.rows_text)
    print(frame_table(frame, HISTORY_COLUMNS))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    try:
        new_id = store.restore(args.import_id, user=args.user or _user(), kind=args.kind, department=args.department)
    except KeyError:
        print(text.t("cli.no_such_import", import_id=args.import_id), file=sys.stderr)
        return 1
    except ValueError:  # the import holds nothing of that kind or department
        print(text.t("history.nothing_to_restore", source=args.import_id), file=sys.stderr)
        return 1
    finally:
        store.close()
    print(text.t("cli.restored", source=args.import_id, import_id=new_id))
    return 0


def cmd_void(args: argparse.Namespace) -> int:
    from wenming.store import voids

    store = Store.open(args.db)
    try:
        changed = voids.void_import(store, args.import_id, user=args.user or _user(), undo=args.undo)
    except KeyError:
        print(text.t("cli.no_such_import", import_id=args.import_id), file=sys.stderr)
        return 1
    finally:
        store.close()
    done = "history.unvoided" if args.undo else "history.voided"
    print(text.t(done if changed else f"{done}_already", import_id=args.import_id))
    return 0


def _browser_sizes(asked: str | None, page_sizes: tuple[int, ...]) -> tuple[int, ...]:
    """--browser as given, else 100k when the page sizes include it (the issue's page targets are at 100k)."""
    from wenming.devtools import bench

    if asked is not None:
        return bench.parse_sizes(asked)
    return (100_000,) if 100_000 in page_sizes else ()


def cmd_bench(args: argparse.Namespace) -> int:
    from wenming.devtools import bench

    try:
        options = bench.Options(
            sizes=bench.parse_sizes(args.sizes),
            page_sizes=bench.parse_sizes(args.pages),
            repeat=max(args.repeat, 1),
            naive=not args.no_naive,
            shapes=bench.parse_shapes(args.shapes),
            out=args.out,
            cache=args.cache or bench.CACHE,
            browser_sizes=() if args.no_browser else _browser_sizes(args.browser, bench.parse_sizes(args.pages)),
        )
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    results = bench.run(options, echo=lambda line: print(line, file=sys.stderr, flush=True))
    print(bench.report(results))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from wenming.figures import meetings, review, review_summaries
    from wenming.render import export, report

    try:
        period = review.Period.parse(args.month or args.quarter)
    except ValueError:
        print(text.t("cli.bad_period", value=args.month or args.quarter), file=sys.stderr)
        return 2
    store = Store.open(args.db)
    try:
        kept = None if args.fresh else meetings.frozen(store, period)
        today = args.as_of or _default_date(store)
        if args.json:
            figures = (
                review_summaries.frozen_summaries(kept) if kept else review_summaries.summaries(store, period, today)
            )
            print(json.dumps(figures, ensure_ascii=False, indent=2))
            return 0
        shown = kept or review.build(store.query, period, today)
        written = []
        if args.html:
            args.html.write_text(report.render(shown), encoding="utf-8")
            written.append(args.html)
        if args.xlsx:
            args.xlsx.write_bytes(export.review_workbook(shown))
            written.append(args.xlsx)
        if args.supervision:
            args.supervision.mkdir(parents=True, exist_ok=True)
            for department in shown.departments["department"]:
                target = args.supervision / f"督办单_{department}_{period.code}.xlsx"
                target.write_bytes(export.supervision_sheet(shown, department))
                written.append(target)
    finally:
        store.close()
    print(shown.summary())
    for path in written:
        print(text.t("cli.wrote", path=path, size=path.stat().st_size / 1024))
    return 0


def _backup_step(step: Callable[[], T], database: Path) -> T | None:
    """Run a backup or restore; a refusal is one sentence on stderr and None."""
    from wenming.store import backup

    try:
        return step()
    except backup.BackupError as error:
        print(error.message(), file=sys.stderr)
    except StoreLocked:
        print(text.t("cli.db_busy", db=database), file=sys.stderr)
    return None


def cmd_backup(args: argparse.Namespace) -> int:
    from wenming.store import backup

    database = db_path(args.db)
    done = _backup_step(lambda: backup.backup(database, args.folder), database)
    if done is None:
        return 1
    print(
        text.t(
            "cli.backup_done",
            folder=args.folder,
            imports=done.imports,
            size_mb=done.size / 1024 / 1024,
            originals=done.originals,
        )
    )
    if done.missing:
        print(
            text.t("cli.backup_missing", count=len(done.missing), files=text.t("sep.list").join(done.missing)),
            file=sys.stderr,
        )
    return 0


def cmd_restore_backup(args: argparse.Namespace) -> int:
    from wenming.store import backup

    database = db_path(args.db)
    done = _backup_step(lambda: backup.restore(args.folder, database, force=args.force), database)
    if done is None:
        return 1
    print(
        text.t(
            "cli.restore_done",
            folder=args.folder,
            db=database,
            imports=done.imports,
            created=done.created_at,
            originals=done.originals,
        )
    )
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from wenming import sample

    written = sample.write_all(args.out, args.templates)
    for path in written:
        print(path)
    return 0


COMMANDS = {
    "import": cmd_import,
    "summary": cmd_summary,
    "history": cmd_history,
    "restore-import": cmd_restore,
    "void": cmd_void,
    "backup": cmd_backup,
    "restore": cmd_restore_backup,
    "sample": cmd_sample,
    "review": cmd_review,
    "bench": cmd_bench,
    "users": cli_users.cmd_users,
    "words": words_cli.cmd_words,
    "evidence": cli_evidence.cmd_evidence,
    "update": cli_update.cmd_update,
    "wall": cli_wall.cmd_wall,
}


# ---------------------------------------------------------------- readable summary
