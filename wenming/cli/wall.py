"""`python -m wenming wall create|list|revoke`: the read-only URLs of 大屏 wall screens (wenming.store.wall)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from wenming import text
from wenming.cli.common import _user
from wenming.cli.tables import table
from wenming.render.audit import operator
from wenming.store import Store, auth
from wenming.store import wall as walls

LISTED = ["wall_id", "wall_label", "seconds", "wall_state", "wall_created_by", "created_at", "last_used", "revoked"]


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "wall",
        help="create, list or revoke the read-only URLs of wall screens (大屏)",
        description="A wall screen URL (/wall?token=…) shows the overview, the headline charts and the current "
        "review in turn, with no sign-in; it opens no other page. Only a hash of the token is kept: the URL is "
        "printed once, by create. With users set up, --user must name an admin. Each creation and revocation "
        "is in the audit log.",
    )
    actions = cmd.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", parents=[common], help="a new wall URL, printed once")
    create.add_argument("label", help="where the screen is, e.g. 三楼大厅")
    create.add_argument("--seconds", type=int, default=walls.DEFAULT_SECONDS, help="each screen's time (default 20)")
    create.add_argument(
        "--url", default="http://localhost:8501", help="the dashboard's address as the screen reaches it"
    )
    create.add_argument("--user", default=None, help="with users set up: an admin")
    actions.add_parser("list", parents=[common], help="every wall URL: label, created, last used, revoked")
    revoke = actions.add_parser("revoke", parents=[common], help="revoke a wall URL by its number (see list)")
    revoke.add_argument("wall_id", type=int)
    revoke.add_argument("--user", default=None, help="with users set up: an admin")


def _by(store: Store, user: str | None) -> str:
    """Who acts: with users set up the admin named by --user (checked by the store), else the login name."""
    return (user or "") if auth.has_users(store) else (user or f"cli:{_user()}")


def _shown(value: object) -> str:
    if value is None or value != value:  # None, NaT
        return "—"
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, dt.datetime) else str(value)


def listing_table(store: Store) -> str:
    rows = [
        [
            str(r.wall_id),
            r.label,
            str(r.seconds),
            text.t("wall.state_revoked" if _shown(r.revoked_at) != "—" else "wall.state_active"),
            operator(r.created_by),
            _shown(r.created_at),
            _shown(r.last_used),
            "—"
            if _shown(r.revoked_at) == "—"
            else text.t("wall.revoked_by", when=_shown(r.revoked_at), user=operator(r.revoked_by)),
        ]
        for r in walls.listing(store).itertuples()
    ]
    return table([text.t(f"col.{c}") for c in LISTED], rows)


def cmd_wall(args: argparse.Namespace) -> int:
    store = Store.open(args.db)
    try:
        if args.action == "list":
            print(listing_table(store) if not walls.listing(store).empty else text.t("wall.none"))
        elif args.action == "create":
            _, token = walls.create(store, args.label, by=_by(store, args.user), seconds=args.seconds)
            print(text.t("wall.cli_created", label=" ".join(args.label.split())))
            print(walls.url(args.url, token))
        else:
            if not walls.revoke(store, args.wall_id, by=_by(store, args.user)):
                print(text.t("wall.cli_already", wall=args.wall_id), file=sys.stderr)
                return 1
            print(text.t("wall.cli_revoked", wall=args.wall_id))
    except walls.WallError as error:
        print(text.t(f"wall.error.{error.key}", **error.params), file=sys.stderr)
        return 1
    except KeyError:
        print(text.t("wall.cli_unknown", wall=args.wall_id), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0
