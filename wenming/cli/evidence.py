"""`python -m wenming evidence add|list|remove|bundle`: 佐证材料 from the command line, with the pages' rights."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import Any

from wenming import text
from wenming.cli.tables import frame_table
from wenming.figures import evidence as bundles
from wenming.render import evidence as drawn
from wenming.store import Store, auth
from wenming.store import evidence as store_evidence

LIST_COLUMNS = ["evidence_id", "category", "item", "department", "title", "kind", "dated", "added_by"]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text.t("cli.bad_date", value=value)) from None


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `evidence` command and its actions."""
    root = commands.add_parser(
        "evidence",
        help="佐证材料: attach files or links to a 测评内容, list, remove, write the inspection bundle",
        description="Evidence per item (测评内容) of the scoring sheet, with the same checks and rights as the "
        "佐证材料 page: staff attach for their departments, admins remove (a mark; the file stays).",
    )
    actions = root.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", parents=[common], help="attach a file (PDF, picture, Office) or a link")
    add.add_argument("file", nargs="?", type=Path, help="the file (omit with --url)")
    add.add_argument("--url", help="a link (http:// or https://) instead of a file")
    add.add_argument("--item", required=True, help="the 测评内容, as on the scoring sheet")
    add.add_argument("--category", help="the 测评项目, when the item is under several")
    add.add_argument("--title", default="", help="the document's title (default: the file name)")
    add.add_argument("--department", help="the department supplying it (default: a staff user's only one)")
    add.add_argument("--date", type=_date, help="the document's own date, YYYY-MM-DD")
    add.add_argument("--task", help="the task or ledger problem it supports")
    add.add_argument("--user", help="who attaches it: with users set up, a registered user (required)")
    lst = actions.add_parser("list", parents=[common], help="list the files and links in force")
    lst.add_argument("--as-of", type=_date, help="date (default: today)")
    lst.add_argument("--item", help="only this 测评内容")
    lst.add_argument("--removed", action="store_true", help="also the removed ones, with who removed them and why")
    rem = actions.add_parser("remove", parents=[common], help="mark a file or link removed (admins; logged)")
    rem.add_argument("evidence_id", type=int)
    rem.add_argument("--reason", required=True, help="why it is removed (kept in the log)")
    rem.add_argument("--user", help="an admin, with users set up")
    bun = actions.add_parser(
        "bundle",
        parents=[common],
        help="write the inspection bundle: folders by 测评项目/测评内容, an index workbook and index.html",
    )
    bun.add_argument("folder", type=Path, help="a new or empty folder, or a file name ending in .zip")
    bun.add_argument("--as-of", type=_date, help="date (default: today)")
    bun.add_argument("--department", action="append", help="only the evidence of this department (repeatable)")


def user_named(store: Store, name: str | None) -> str | None:
    """The user named by --user; with users set up it must be one (None after saying so)."""
    if auth.has_users(store):
        try:
            return auth.actor(store, name or "").name
        except auth.Forbidden as refused:
            print(refused.message() if name else text.t("cli.need_user"), file=sys.stderr)
            return None
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def cmd_evidence(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    try:
        return ACTIONS[args.action](store, args)
    finally:
        store.close()


def _add(store: Store, args: argparse.Namespace) -> int:
    user = user_named(store, args.user)
    if user is None:
        return 1
    common = {
        "item": args.item,
        "category": args.category,
        "title": args.title,
        "user": user,
        "department": args.department,
        "dated": args.date,
        "linked_to": args.task,
    }
    if args.url and not args.file:
        added = store_evidence.add_link(store, args.url, **common)
    elif args.file and not args.url:
        if not args.file.is_file():
            print(text.t("cli.no_file", file=args.file), file=sys.stderr)
            return 1
        added = store_evidence.add_file(store, args.file.read_bytes(), args.file.name, **common)
    else:
        print(text.t("cli.evidence_file_or_url"), file=sys.stderr)
        return 2
    key = "cli.evidence_duplicate" if added.duplicate else "cli.evidence_added"
    print(text.t(key, evidence_id=added.evidence_id, item=args.item))
    return 0


def _list(store: Store, args: argparse.Namespace) -> int:
    if args.removed:
        frame = store_evidence.records(store, removed=True)
        columns = [*LIST_COLUMNS, "removed_at", "removed_by", "removed_why"]
    else:
        frame = store.query("evidence_files", as_of=args.as_of or dt.date.today(), snapshot=None, departments=None)
        columns = LIST_COLUMNS
    if args.item:
        frame = frame[frame["item"] == args.item]
    if frame.empty:
        print(text.t("cli.evidence_none"))
    else:
        print(frame_table(frame, columns))
    return 0


def _remove(store: Store, args: argparse.Namespace) -> int:
    user = user_named(store, args.user)
    if user is None:
        return 1
    store_evidence.remove(store, args.evidence_id, user=user, reason=args.reason)
    print(text.t("cli.evidence_removed", evidence_id=args.evidence_id))
    return 0


def _bundle(store: Store, args: argparse.Namespace) -> int:
    folder: Path = args.folder
    bundle = bundles.build(store.query, args.as_of or dt.date.today(), args.department)

    def read(stored_as: str) -> bytes | None:
        path = store_evidence.file_path(store, stored_as)
        return path.read_bytes() if path else None

    missing = [e.title for e in bundle.files if store_evidence.file_path(store, e.stored_as) is None]
    if folder.suffix.lower() == ".zip":
        if folder.exists():
            print(text.t("cli.evidence_exists", folder=folder), file=sys.stderr)
            return 1
        folder.write_bytes(drawn.zip_bytes(bundle, read))
    else:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            print(text.t("cli.evidence_exists", folder=folder), file=sys.stderr)
            return 1
        for path, data in drawn.contents(bundle, read):
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(text.t("cli.evidence_bundle", folder=folder, files=len(bundle.files) - len(missing), items=len(bundle.items)))
    if missing:
        print(
            text.t("cli.evidence_bundle_missing", count=len(missing), titles=text.t("sep.list").join(missing)),
            file=sys.stderr,
        )
        return 1
    return 0


ACTIONS = {"add": _add, "list": _list, "remove": _remove, "bundle": _bundle}
