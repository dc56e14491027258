"""The command line: `python -m wenming import|summary|history|restore-import|backup|restore|review|users|sample|bench`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from wenming import text
from wenming.figures import summary as summary_mod
from wenming.read.guard import Refused
from wenming.store import Store, StoreLocked, auth, db_path

T = TypeVar("T")

MAX_WARNINGS_SHOWN = 20


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text.t("cli.bad_date", value=value)) from None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $WENMING_DB or data/wenming.duckdb)")
    common.add_argument("--lang", choices=text.LANGS, help="language of messages (default: zh)")

    root = argparse.ArgumentParser(prog="python -m wenming", description="文明创建工作看板 command line")
    commands = root.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", parents=[common], help="import tracker workbooks, each all or nothing")
    imp.add_argument("files", nargs="+", type=Path)
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

    summ = commands.add_parser("summary", parents=[common], help="print the headline figures")
    summ.add_argument("--as-of", type=_date, help="date the figures are as of (default: today)")
    summ.add_argument("--department", action="append", help="only this department (repeatable)")
    summ.add_argument("--json", action="store_true", help="print one JSON object")

    commands.add_parser("history", parents=[common], help="list every import")
    _users_parser(commands, common)
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
    rev.add_argument("--as-of", type=_date, help="the date the data is read as of (default: today)")
    rev.add_argument("--html", type=Path, help="write the review as one self-contained HTML file")
    rev.add_argument("--xlsx", type=Path, help="write the tables behind the review as an Excel workbook")
    rev.add_argument("--supervision", type=Path, help="folder for one 督办单 (Excel) per department")
    rev.add_argument("--fresh", action="store_true", help="recompute even if the review was frozen on the page")

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
    bench.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is kept (default: 3)")
    bench.add_argument("--no-naive", action="store_true", help="skip the naive pandas.read_excel path (slow at 1M)")
    bench.add_argument("--out", type=Path, default=None, help="JSON file of the figures (default: bench/results/)")
    bench.add_argument("--cache", type=Path, default=None, help="folder of generated trackers (default: bench/cache)")
    return root


BENCH_HELP = """\
Measure how fast the dashboard is at every size, on trackers it generates itself.

For each size a 任务分解表 is written once (and kept in --cache): title rows with a
截至 date, merged 测评项目/测评内容 cells, deadlines such as 6月底前, 2026年9月底 and
长期坚持, statuses such as √, 推进中 and 60%, a 合计 row and footer rows. Then:

  import   read + validate + store through the real import, each run in a fresh
           process; the naive path (pandas.read_excel with openpyxl, then the frame
           into DuckDB) on the same file; the ratio naive / ours; peak memory; and
           the figures both paths agree on (task rows, done tasks), which must match.
  pages    at the --pages sizes, with the sample's other trackers beside the big one:
           each page's queries, a warm rerun of each page through AppTest, the first
           page of a fresh app process and that process's peak memory. Each page runs
           in its own app process; one that runs past 300 s or 6 GB is stopped and
           reported.

Figures are medians of --repeat runs. A table is printed and every figure is written
to a JSON file. Absolute times depend on the machine; compare ratios across machines.

examples:
  python -m wenming bench                                   # 1k, 10k, 100k, 1M (about 20 minutes on 2 cores)
  python -m wenming bench --sizes 1k,10k,100k --pages 100k --repeat 3 --out bench/results/small.json
  python -m wenming bench --sizes 200 --pages none --repeat 1
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
    failed = 0
    for path in args.files:
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


def cmd_summary(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    figures = summary_mod.build(store, args.as_of or dt.date.today(), args.department)
    store.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(format_summary(figures))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    frame = store.imports()[["import_id", "imported_at", "user_name", "action", "file_name", "rows", "warning_count"]]
    store.close()
    print(frame.to_string(index=False))
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


def cmd_bench(args: argparse.Namespace) -> int:
    from wenming.devtools import bench

    try:
        options = bench.Options(
            sizes=bench.parse_sizes(args.sizes),
            page_sizes=bench.parse_sizes(args.pages),
            repeat=max(args.repeat, 1),
            naive=not args.no_naive,
            out=args.out,
            cache=args.cache or bench.CACHE,
        )
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    results = bench.run(options, echo=lambda line: print(line, file=sys.stderr, flush=True))
    print(bench.report(results))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from wenming.figures import meetings, review
    from wenming.render import export, report

    try:
        period = review.Period.parse(args.month or args.quarter)
    except ValueError:
        print(text.t("cli.bad_period", value=args.month or args.quarter), file=sys.stderr)
        return 2
    store = Store.open(args.db)
    try:
        kept = None if args.fresh else meetings.frozen(store, period)
        shown = kept or review.build(store.query, period, args.as_of or dt.date.today())
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
        print(text.t("cli.backup_missing", count=len(done.missing), files="、".join(done.missing)), file=sys.stderr)
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


def _users_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser(
        "users",
        help="add, list, disable users and set passwords (who may sign in to the dashboard)",
        description="Users and roles: leader (reads all), staff (reads all, imports for its departments), "
        "admin (everything). Passwords are read from a prompt, or one line of standard input, never "
        "from the command line. With no users the dashboard is a local single-user tool.",
    )
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", parents=[common], help="add a user; the first must be an admin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("leader", "staff", "admin"))
    add.add_argument("--department", action="append", default=[], help="a department staff may import for")
    add.add_argument("--email", help="the identity of the single sign-on (OIDC), if used")
    add.add_argument("--no-password", action="store_true", help="single sign-on only: no password")
    actions.add_parser("list", parents=[common], help="list the users")
    for name, what in (("disable", "stop a user signing in or importing"), ("enable", "let a user in again")):
        actions.add_parser(name, parents=[common], help=what).add_argument("name")
    actions.add_parser("password", parents=[common], help="set a user's password").add_argument("name")


def _password(name: str) -> str:
    """A new password: typed twice at a prompt, or one line of standard input (a script)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(text.t("cli.password_prompt", name=name))
    if getpass.getpass(text.t("cli.password_again")) != first:
        raise auth.UserError("mismatch")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    by = f"cli:{_user()}"
    try:
        if args.action == "list":
            listed = auth.users(store)
            if listed.empty:
                print(text.t("cli.no_users"))
            else:
                print(_users_table(listed))
        elif args.action == "add":
            password = None if args.no_password else _password(args.name)
            user = auth.add_user(
                store, args.name, args.role, args.department, password=password, email=args.email, by=by
            )
            departments = "：" + "、".join(user.departments) if user.departments else ""
            print(text.t("cli.user_added", name=user.name, role=text.t(f"role.{user.role}"), departments=departments))
        elif args.action in ("disable", "enable"):
            auth.update_user(store, args.name, by=by, enabled=args.action == "enable")
            print(text.t(f"cli.user_{args.action}d", name=args.name))
        elif args.action == "password":
            if auth.find(store, args.name) is None:
                raise auth.UserError("unknown", name=args.name)
            auth.set_password(store, args.name, _password(args.name), by=by)
            print(text.t("cli.password_set", name=args.name))
    except auth.UserError as error:
        print(error.message(), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


COMMANDS = {
    "import": cmd_import,
    "summary": cmd_summary,
    "history": cmd_history,
    "restore-import": cmd_restore,
    "backup": cmd_backup,
    "restore": cmd_restore_backup,
    "sample": cmd_sample,
    "review": cmd_review,
    "bench": cmd_bench,
    "users": cmd_users,
}


# ---------------------------------------------------------------- readable summary


def _cell(value: Any, rate: bool = False) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{value:.1%}"
    return f"{round(value, 2):g}" if isinstance(value, float) else str(value)


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


USER_COLUMNS = ["account", "role", "departments", "email", "enabled", "has_password", "last_sign_in"]


def _users_table(listed: Any) -> str:
    """The users in the language asked for: roles in words, 是/否, a sign-in time or — (never NaT)."""

    def yes(flag: object) -> str:
        return text.t("cli.yes" if flag else "cli.no")

    def shown(value: object) -> str:  # None, NaN and NaT as —
        if value is None or value != value:
            return "—"
        return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, dt.datetime) else str(value) or "—"

    rows = [
        [
            r.user_name,
            text.t(f"role.{r.role}"),
            shown(r.departments),
            shown(r.email),
            yes(r.enabled),
            yes(r.has_password),
            shown(r.last_sign_in),
        ]
        for r in listed.itertuples()
    ]
    return _table([text.t(f"col.{c}") for c in USER_COLUMNS], rows)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


def _section(title: str, totals: dict[str, Any], keys: list[str], rates: set[str], by: str, by_keys: list[str]) -> str:
    head = [text.t(f"label.{k}") for k in keys]
    lines = [f"== {title} ==", _table(head, [[_cell(totals[k], k in rates) for k in keys]])]
    rows = [[name] + [_cell(values[k], k in rates) for k in by_keys] for name, values in totals[by].items()]
    if rows:
        lines.append("")
        lines.append(
            _table(
                [text.t("label.department" if by == "by_department" else "label.category")]
                + [text.t(f"label.{k}") for k in by_keys],
                rows,
            )
        )
    return "\n".join(lines)


def format_summary(figures: dict[str, Any]) -> str:
    """The summary as plain tables, for people reading a terminal or a scheduled mail."""
    rates = {"completion_rate", "attainment", "closing_rate"}
    tasks, scores, issues, part = figures["tasks"], figures["scores"], figures["issues"], figures["participation"]
    parts = [
        text.t("cli.summary_title", as_of=figures["as_of"]),
        _section(
            text.t("section.tasks"),
            tasks,
            ["total", "done", "overdue", "ongoing", "due_soon", "completion_rate"],
            rates,
            "by_department",
            ["total", "done", "overdue", "completion_rate"],
        ),
        _section(
            text.t("section.scores"),
            scores,
            ["max", "score", "attainment", "unscored"],
            rates,
            "by_category",
            ["max", "score"],
        ),
        _section(
            text.t("section.issues"),
            issues,
            ["total", "closed", "open", "overdue"],
            rates,
            "by_department",
            ["total", "closed", "overdue"],
        ),
        _section(
            text.t("section.participation"),
            part,
            ["activities", "person_times", "volunteer_hours"],
            rates,
            "by_department",
            ["activities", "person_times", "volunteer_hours", "headcount", "person_times_per_head"],
        ),
    ]
    return "\n\n".join(parts)
