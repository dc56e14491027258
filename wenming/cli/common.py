"""What every command of `python -m wenming` shares: the date argument and the login name."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass

from wenming import text


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
