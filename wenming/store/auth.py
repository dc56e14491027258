"""Who may see and change what: users and roles, argon2 passwords, sign-in attempts with lockout, import rights.

Roles: ``leader`` reads everything; ``staff`` reads everything and imports rows of the
departments listed on the user; ``admin`` does everything, including users, department
aliases and restores. With no users in the table the dashboard is one person's local
tool and everything is allowed (the web app then serves only on 127.0.0.1).

The store calls ``actor``, ``check_import`` and ``check_restore`` before it writes, so
no page or command can get round them. Nothing here calls Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from wenming import text
from wenming.read.guard import Refused
from wenming.read.reader import ParsedWorkbook
from wenming.store.db import Database
from wenming.store.db import audit as _audit

ROLES = ("leader", "staff", "admin")
MAX_FAILURES = 5  # failed sign-ins of one user name, or of one session, ...
WINDOW = dt.timedelta(minutes=15)  # ... within this window ...
LOCKOUT = dt.timedelta(minutes=15)  # ... lock that name (or session) for this long
MIN_PASSWORD = 8
_HASHER = PasswordHasher()  # argon2id, 64 MiB, 3 passes: about 0.1 s a check
_DUMMY_HASH = _HASHER.hash("an unknown user still costs one check")
_NAME = re.compile(r"^[^\s/\\]{1,40}$")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    departments: tuple[str, ...] = ()
    email: str | None = None
    enabled: bool = True
    local: bool = False  # no users are configured: the single-user local mode

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def may_import(self) -> bool:
        return self.role in ("staff", "admin")


def local(name: str = "") -> User:
    """The one user of the local mode (no users configured): allowed everything."""
    return User(name=name, role="admin", local=True)


class Forbidden(Refused):
    """What the user's role does not allow; nothing was stored. Its message is one sentence."""

    def __init__(self, subject: str, code: str, **params: object) -> None:
        super().__init__(subject, f"forbidden_{code}", **params)


class UserError(ValueError):
    """A user could not be added or changed; the message is one sentence."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return text.t(f"users.error_{self.code}", lang, **self.params)

    def __str__(self) -> str:
        return self.message()


# ---------------------------------------------------------------- the users table


def has_users(store: Database) -> bool:
    return bool(store._scalar("select count(*) > 0 from users"))


def _user(row: tuple) -> User:
    name, role, departments, email, enabled = row
    return User(name, role, tuple(departments or ()), email, bool(enabled))


_COLUMNS = "user_name, role, departments, email, enabled"


def find(store: Database, name: str) -> User | None:
    """The user called ``name`` (names are compared as typed, without surrounding spaces)."""
    row = store._row(f"select {_COLUMNS} from users where user_name = ?", [name.strip()])
    return _user(row) if row else None


def find_by_email(store: Database, email: str) -> User | None:
    row = store._row(f"select {_COLUMNS} from users where lower(email) = lower(?)", [email.strip()])
    return _user(row) if row else None


def users(store: Database) -> pd.DataFrame:
    """Every user with the time of their last successful sign-in."""
    return store.con.execute(
        """
        select u.user_name, u.role, array_to_string(u.departments, '、') as departments, u.email, u.enabled,
               u.password_hash is not null as has_password, u.created_at, max(s.attempted_at) as last_sign_in
        from users u left join sign_ins s on s.user_name = u.user_name and s.success
        group by all order by u.created_at, u.user_name
        """
    ).df()


def _clean_departments(departments: list[str] | tuple[str, ...] | None) -> list[str]:
    names = [re.sub(r"\s+", "", d) for d in departments or []]
    return list(dict.fromkeys(d for d in names if d))


def _check(role: str, departments: list[str], password: str | None, email: str | None) -> None:
    if role not in ROLES:
        raise UserError("role", role=role, roles="、".join(ROLES))
    if role == "staff" and not departments:
        raise UserError("staff_departments")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError("short_password", length=MIN_PASSWORD)
    if email is not None and "@" not in email:
        raise UserError("email", email=email)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def add_user(
    store: Database,
    name: str,
    role: str,
    departments: list[str] | tuple[str, ...] = (),
    *,
    password: str | None,
    email: str | None = None,
    by: str = "",
) -> User:
    """Add a user; a password, an email (single sign-on) or both. The first user must be an admin."""
    name, email = name.strip(), (email or "").strip() or None
    depts = _clean_departments(departments)
    if not _NAME.match(name):
        raise UserError("name", name=name)
    _check(role, depts, password, email)
    if password is None and email is None:
        raise UserError("no_credential")
    with store.writing(name, data=False) as con:
        if con.execute("select count(*) from users where user_name = ?", [name]).fetchall()[0][0]:
            raise UserError("exists", name=name)
        if role != "admin" and not con.execute("select count(*) from users").fetchall()[0][0]:
            raise UserError("first_admin")
        if email and con.execute("select count(*) from users where lower(email) = lower(?)", [email]).fetchall()[0][0]:
            raise UserError("email_taken", email=email)
        now = dt.datetime.now()
        con.execute(
            "insert into users values (?, ?, ?, ?, ?, true, ?, ?)",
            [name, role, depts, email, hash_password(password) if password else None, now, now],
        )
        _audit(con, by or name, "user_add", user=name, role=role, departments=depts, email=email)
    return User(name, role, tuple(depts), email)


def update_user(
    store: Database,
    name: str,
    *,
    by: str,
    role: str | None = None,
    departments: list[str] | tuple[str, ...] | None = None,
    email: str | None = None,
    enabled: bool | None = None,
) -> User:
    """Change a user's role, departments, email or enabled flag; the last enabled admin stays an admin."""
    current = find(store, name)
    if current is None:
        raise UserError("unknown", name=name)
    new = User(
        current.name,
        role or current.role,
        tuple(_clean_departments(departments)) if departments is not None else current.departments,
        current.email if email is None else (email.strip() or None),
        current.enabled if enabled is None else enabled,
    )
    _check(new.role, list(new.departments), None, new.email)
    with store.writing(name, data=False) as con:
        admins = con.execute(
            "select count(*) from users where role = 'admin' and enabled and user_name <> ?", [name]
        ).fetchall()[0][0]
        if current.is_admin and current.enabled and not (new.is_admin and new.enabled) and admins == 0:
            raise UserError("last_admin", name=name)
        con.execute(
            "update users set role = ?, departments = ?, email = ?, enabled = ?, updated_at = ? where user_name = ?",
            [new.role, list(new.departments), new.email, new.enabled, dt.datetime.now(), name],
        )
        changes = {
            k: v for k, v in (("role", role), ("departments", departments), ("enabled", enabled)) if v is not None
        }
        if email is not None:
            changes["email"] = new.email
        _audit(con, by, "user_update", user=name, **changes)
    return new


def set_password(store: Database, name: str, password: str, *, by: str) -> None:
    if find(store, name) is None:
        raise UserError("unknown", name=name)
    if len(password) < MIN_PASSWORD:
        raise UserError("short_password", length=MIN_PASSWORD)
    with store.writing(name, data=False) as con:
        con.execute(
            "update users set password_hash = ?, updated_at = ? where user_name = ?",
            [hash_password(password), dt.datetime.now(), name],
        )
        _audit(con, by, "password", user=name)


# ---------------------------------------------------------------- signing in


@dataclass(frozen=True)
class Attempt:
    user: User | None  # None: refused
    reason: str  # ok | wrong_password | unknown_user | disabled | locked | not_registered
    until: dt.datetime | None = None  # for a lockout: when it ends

    def message(self, lang: str | None = None) -> str:
        """The one sentence a refused sign-in shows."""
        if self.reason == "locked":
            return text.t("signin.locked", lang, until=self.until.strftime("%H:%M") if self.until else "")
        if self.reason == "disabled":
            return text.t("signin.disabled", lang)
        return text.t("signin.wrong", lang)


def _lock_end(times: list[dt.datetime], now: dt.datetime) -> dt.datetime | None:
    """When a lockout from these failure times ends: MAX_FAILURES within WINDOW lock for LOCKOUT."""
    times = sorted(times)
    end = None
    for i in range(MAX_FAILURES - 1, len(times)):
        if times[i] - times[i - MAX_FAILURES + 1] <= WINDOW:
            end = times[i] + LOCKOUT
    return end if end is not None and end > now else None


def locked_until(
    store: Database, name: str, session_id: str | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """The end of a lockout of this user name or this session, if one is in force."""
    now = now or dt.datetime.now()
    since = now - WINDOW - LOCKOUT
    rows = store.con.execute(
        """
        select attempted_at, user_name = ? as same_name, coalesce(session_id = ?, false) as same_session
        from sign_ins
        where not success and reason <> 'locked' and attempted_at >= ?
          and (user_name = ? or session_id = ?)
        """,
        [name, session_id, since, name, session_id],
    ).fetchall()
    by_name = _lock_end([r[0] for r in rows if r[1]], now)
    by_session = _lock_end([r[0] for r in rows if r[2]], now) if session_id else None
    ends = [e for e in (by_name, by_session) if e is not None]
    return max(ends) if ends else None


def _log(store: Database, name: str, success: bool, reason: str, method: str, session_id: str | None, at: dt.datetime):
    cursor = store.con.cursor()  # an append of its own: never waits for an import
    try:
        cursor.execute(
            "insert into sign_ins values (?, ?, ?, ?, ?, ?)", [at, name, success, reason, method, session_id]
        )
    finally:
        cursor.close()


def sign_in(
    store: Database, name: str, password: str, *, session_id: str | None = None, now: dt.datetime | None = None
) -> Attempt:
    """Check a user name and password; every attempt is logged, and repeated failures lock the name."""
    now = now or dt.datetime.now()
    name = name.strip()
    until = locked_until(store, name, session_id, now)
    if until is not None:
        result = Attempt(None, "locked", until)
    else:
        row = store._row("select password_hash, enabled from users where user_name = ?", [name])
        good = _verify(row[0] if row else None, password)
        if row is None:
            result = Attempt(None, "unknown_user")
        elif not good:
            result = Attempt(None, "wrong_password")
        elif not row[1]:
            result = Attempt(None, "disabled")
        else:
            result = Attempt(find(store, name), "ok")
        if result.user is None:
            # this failure may be the one that starts a lockout: say so at once
            _log(store, name, False, result.reason, "password", session_id, now)
            until = locked_until(store, name, session_id, now)
            return Attempt(None, "locked", until) if until else result
    _log(store, name, result.user is not None, result.reason, "password", session_id, now)
    return result


def _verify(stored: str | None, password: str) -> bool:
    """Always one argon2 check, so an unknown name takes as long as a wrong password."""
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def identity(store: Database, email: str, *, session_id: str | None = None) -> Attempt:
    """A single sign-on identity (the provider verified the email) mapped onto the users table."""
    found = find_by_email(store, email) if email else None
    if found is None:
        result = Attempt(None, "not_registered")
    elif not found.enabled:
        result = Attempt(None, "disabled")
    else:
        result = Attempt(found, "ok")
    _log(store, email or "?", result.user is not None, result.reason, "oidc", session_id, dt.datetime.now())
    return result


def attempts(store: Database, limit: int = 200) -> pd.DataFrame:
    return store.con.execute("select * from sign_ins order by attempted_at desc limit ?", [limit]).df()


# ---------------------------------------------------------------- rights, checked by the store


def actor(store: Database, user: str | User) -> User:
    """Who is writing: in the local mode anyone (by the name given); else an enabled user of the table."""
    name = user.name if isinstance(user, User) else str(user)
    if not has_users(store):
        return local(name)
    found = find(store, name)
    if found is None or not found.enabled:
        raise Forbidden(name or "?", "unknown_user", user=name)
    return found


def writable(store: Database, user: User) -> set[str] | None:
    """The departments ``user`` may import rows for (aliases applied); None: every department."""
    if user.local or user.is_admin:
        return None
    if not user.may_import:
        return set()
    aliases = store.aliases()
    return {aliases.get(d, d) for d in user.departments} | set(user.departments)


def denied(store: Database, user: User, parsed: ParsedWorkbook) -> list[str]:
    """The departments of this workbook that ``user`` may not write (a sheet without departments: all)."""
    allowed = writable(store, user)
    if allowed is None:
        return []
    names: list[str] = []
    for sheet in parsed.sheets:
        if sheet.whole:
            names.append(text.t("forbidden.whole", kind=text.t(f"kind.{sheet.kind}")))
        else:
            names += [d or text.t("no_department") for d in sheet.departments if d not in allowed]
    return list(dict.fromkeys(names))


def check_import(store: Database, user: User, parsed: ParsedWorkbook) -> None:
    """Refuse the whole file if it holds rows the user may not write; the sentence names them."""
    if user.local or user.is_admin:
        return
    if not user.may_import:
        raise Forbidden(parsed.file_name, "leader", user=user.name)
    names = denied(store, user, parsed)
    if names:
        raise Forbidden(
            parsed.file_name,
            "departments",
            user=user.name,
            allowed="、".join(user.departments),
            denied="、".join(names),
        )


def check_restore(user: User, subject: str) -> None:
    if not (user.local or user.is_admin):
        raise Forbidden(subject, "restore", user=user.name)


def check_meeting(user: User, subject: str) -> None:
    """Freezing a review and recording or striking off follow-ups is the 创建办's work (admins)."""
    if not (user.local or user.is_admin):
        raise Forbidden(subject, "meeting", user=user.name)


# ---------------------------------------------------------------- the audit log


def audit(store: Database, who: str, action: str, **detail: object) -> None:
    """Log an administrative action that changes nothing else (a download of an original)."""
    cursor = store.con.cursor()
    try:
        _audit(cursor, who, action, **detail)
    finally:
        cursor.close()


def audit_log(store: Database, limit: int = 200) -> pd.DataFrame:
    return store.con.execute("select * from audit_log order by happened_at desc limit ?", [limit]).df()
