"""`python -m wenming update`: a scripted status change of one task or ledger problem, saved as an import."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from wenming import text
from wenming.cli.evidence import user_named
from wenming.read import values
from wenming.store import Store
from wenming.store import updates as store_updates
from wenming.store.updates import Edit


def _date(value: str) -> dt.date | str:
    if value == "":
        return ""  # clears the date
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text.t("cli.bad_date", value=value)) from None


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    update = commands.add_parser(
        "update",
        parents=[common],
        help="change one task's or ledger problem's status in place (saved as an import, restorable)",
        description="Change a row of a department's tracker in force, as on the 任务推进 and 逾期督办 pages: "
        "all or nothing, with the importer's rights, one entry in the history with every change (old -> new). "
        "The row is the Excel row number in the department's tracker (the 行号 column of the task list).",
    )
    update.add_argument("--department", required=True, help="the department whose tracker holds the row")
    row = update.add_mutually_exclusive_group(required=True)
    row.add_argument("--task-row", type=int, help="the task's row in the department's 任务分解 sheet")
    row.add_argument("--issue-row", type=int, help="the problem's row in the department's 问题整改 ledger")
    update.add_argument("--status", help="tasks: 已完成 / 推进中 / 未启动 (or a percentage); problems: 已销号 / 整改中")
    update.add_argument("--progress", type=float, help="tasks: progress in percent, 0–100")
    update.add_argument("--done-on", type=_date, help="tasks: 完成日期, YYYY-MM-DD ('' clears it)")
    update.add_argument("--note", help="tasks: 备注")
    update.add_argument("--closed-on", type=_date, help="problems: 销号时间, YYYY-MM-DD ('' clears it)")
    update.add_argument("--user", help="who changes it: with users set up, a registered user whose rights apply")


def _values(args: argparse.Namespace, kind: str) -> dict[str, Any] | None:
    """The new values named on the command line; None (after saying why) for a word that is not a status."""
    found: dict[str, Any] = {}
    if args.status is not None:
        if kind == "tasks":
            status = values.task_status(args.status)
            if status.state not in store_updates.STATUSES["tasks"]:
                print(text.t("cli.update_status", value=args.status), file=sys.stderr)
                return None
            found["status"] = status.state
            if status.progress is not None and status.state == "in_progress":
                found["progress"] = status.progress
        else:
            found["status"] = "closed" if values.issue_closed(args.status) else "open"
    if args.progress is not None:
        found["progress"] = args.progress / 100
    for name in ("done_on", "note", "closed_on"):
        if getattr(args, name) is not None:
            found[name] = getattr(args, name)
    return found


def cmd_update(args: argparse.Namespace) -> int:
    kind = "tasks" if args.task_row is not None else "issues"
    new = _values(args, kind)
    if new is None:
        return 2
    if not new:
        print(text.t("cli.update_nothing"), file=sys.stderr)
        return 2
    store = Store.open(args.db)
    try:
        user = user_named(store, args.user)
        if user is None:
            return 1
        row = args.task_row if kind == "tasks" else args.issue_row
        import_id = store_updates.save(store, [Edit(kind, args.department, row, new)], user=user)
        if import_id is None:
            print(text.t("cli.update_unchanged"))
            return 0
        for change in store_updates.changes(store, import_id).itertuples():
            print(
                f"  {change.label}（{change.sheet}!{change.row_no}）{text.t(f'col.{change.field}')}：{change.old or '—'} → {change.new or '—'}"
            )
        print(text.t("cli.updated", import_id=import_id))
    finally:
        store.close()
    return 0
