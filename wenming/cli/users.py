"""`python -m wenming users`: who may sign in to the dashboard (add, list, enable, disable, password, unlock)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from typing import Any

from wenming import text
from wenming.cli.common import _user
from wenming.cli.tables import table
from wenming.store import Store, auth


def users_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser(
        "users",
        help="add, list, disable, unlock users and set passwords (who may sign in to the dashboard)",
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
    actions.add_parser(
        "unlock", parents=[common], help="lift a sign-in lock of a user name (after too many wrong passwords)"
    ).add_argument("name")


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
            departments = (
                text.t("cli.user_departments", departments=text.t("sep.list").join(user.departments))
                if user.departments
                else ""
            )
            print(text.t("cli.user_added", name=user.name, role=text.t(f"role.{user.role}"), departments=departments))
        elif args.action in ("disable", "enable"):
            auth.update_user(store, args.name, by=by, enabled=args.action == "enable")
            print(text.t(f"cli.user_{args.action}d", name=args.name))
        elif args.action == "password":
            if auth.find(store, args.name) is None:
                raise auth.UserError("unknown", name=args.name)
            auth.set_password(store, args.name, _password(args.name), by=by)
            print(text.t("cli.password_set", name=args.name))
        elif args.action == "unlock":
            auth.unlock(store, args.name, by=by)
            print(text.t("cli.user_unlocked", name=args.name))
    except auth.UserError as error:
        print(error.message(), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


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
    return table([text.t(f"col.{c}") for c in USER_COLUMNS], rows)
