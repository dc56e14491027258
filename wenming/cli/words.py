"""`python -m wenming words list|add|remove`, `import --map HEADER=role` and `import --preview`:
an organisation's own words on the command line (WORKBOOKS.md §8)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from wenming import text
from wenming.cli.tables import frame_table
from wenming.read.reader import ParsedWorkbook
from wenming.store import Store, auth, words


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "words",
        parents=[common],
        help="list, teach or forget the organisation's own words (header -> role, value -> meaning)",
        description="A header mapped to a role (牵头股室=department) or a value mapped to a meaning "
        "(按计划推进=in_progress; meanings: done, in_progress, not_started, ongoing, closed, open, a date "
        "YYYY-MM-DD or a number) is applied to every later import.",
    )
    cmd.add_argument("action", choices=("list", "add", "remove"))
    cmd.add_argument("mapping", nargs="?", help="add: 'WORD=role or meaning'; remove: 'WORD'")
    cmd.add_argument("--value", action="store_true", help="a value (cell text), not a header")
    cmd.add_argument("--user", default=None, help="with users set up: an admin")


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def split(mapping: str) -> tuple[str, str]:
    """'HEADER=role' -> (HEADER, role); raises WordError without '='."""
    word, sep, meaning = mapping.rpartition("=")
    if not sep or not word.strip():
        raise words.WordError("mapping", mapping=mapping)
    return word.strip(), meaning.strip()


def teach(store: Store, mappings: list[str], *, kind: str, by: str) -> None:
    """Teach each 'WORD=meaning' (import --map); raises WordError on the first bad one."""
    checked = [words.check(kind, *split(m)) for m in mappings]
    for word, meaning in checked:
        words.add(store, kind, word, meaning, by=by)


def cmd_words(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    kind = "value" if args.value else "header"
    try:
        if args.action == "list":
            listed = words.listing(store)
            if listed.empty:
                print(text.t("words.none"))
            else:
                listed["kind"] = [text.t(f"words.kind.{k}") for k in listed["kind"]]
                print(frame_table(listed, list(listed.columns)))
            return 0
        if auth.has_users(store):
            user = auth.actor(store, args.user or "")
            if not user.is_admin:
                print(text.t("words.admin_only"), file=sys.stderr)
                return 1
        by = args.user or f"cli:{_login()}"
        if not args.mapping:
            raise words.WordError("mapping", mapping="")
        if args.action == "add":
            word, meaning = words.add(store, kind, *split(args.mapping), by=by)
            print(text.t("words.added", word=word, meaning=meaning))
        elif words.remove(store, kind, args.mapping, by=by):
            print(text.t("words.removed", word=args.mapping))
        else:
            print(text.t("words.not_found", word=args.mapping), file=sys.stderr)
            return 1
    except words.WordError as error:
        print(error.message(), file=sys.stderr)
        return 1
    except auth.Forbidden as refused:
        print(refused.message(), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def print_preview(parsed: ParsedWorkbook) -> None:
    """What an import would read, stored nowhere: per sheet its kind, rows and every header cell with
    the role it is read as or "not used", then the grouped warnings."""
    print(text.t("preview.file", file=parsed.file_name))
    for sheet in parsed.sheets:
        kind = text.t(f"kind.{sheet.kind}")
        print(text.t("cli.sheet", sheet=sheet.name, kind=kind, rows=sheet.table.num_rows, ref=""))
        for letter, header, role in sheet.headers:
            used = text.t(f"colrole.{role}") + f" ({role})" if role else text.t("preview.not_used")
            print(f"    {letter}  {header or '—'} → {used}")
    for warning in parsed.warnings:
        print(f"  {warning.message()}")
