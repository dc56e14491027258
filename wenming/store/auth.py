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
import hashlib
import re
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from wenming import text
from wenming.read.guard import Refused
from wenming.read.reader import ParsedWorkbook
from wenming.store import throttle
from wenming.store.db import Database
from wenming.store.db import audit as _audit

ROLES = ("leader", "staff", "admin")
MAX_FAILURES, WINDOW, LOCKOUT = throttle.MAX_FAILURES, throttle.WINDOW, throttle.LOCKOUT
MIN_PASSWORD = 8
MAX_PASSWORD = 256  # characters; a longer one is refused unhashed
MAX_NAME = 40  # characters of a user name (a longer one typed at sign-in is logged cut to this)
_HASHER = PasswordHasher()  # argon2id, 64 MiB, 3 passes: about 0.1 s a check
_DUMMY_HASH = _HASHER.hash("an unknown user still costs one check")
_NAME = re.compile(rf"^[^\s/\\]{{1,{MAX_NAME}}}$")


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


def binding(store: Database, name: str) -> str | None:
    """What a sign-in is bound to: the user's role and password hash (None: no such enabled user).

    A session whose binding no longer matches is over: the user was disabled, given another
    role or a new password since signing in.
    """
    row = store._row("select role, coalesce(password_hash, ''), enabled from users where user_name = ?", [name])
    if row is None or not row[2]:
        return None
    return hashlib.sha256(f"{row[0]}\n{row[1]}".encode()).hexdigest()


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
    if password is not None:
        _password_length(password)
    if email is not None and "@" not in email:
        raise UserError("email", email=email)


def _password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError("short_password", length=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise UserError("long_password", length=MAX_PASSWORD)


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
    _password_length(password)
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
    reason: str  # ok | wrong_password | unknown_user | disabled | locked | busy | not_registered
    until: dt.datetime | None = None  # for a lockout: when it ends

    def message(self, lang: str | None = None) -> str:
        """The one sentence a refused sign-in shows: a disabled account reads as a wrong password."""
        if self.reason == "locked":
            return text.t("signin.locked", lang, until=self.until.strftime("%H:%M") if self.until else "")
        if self.reason == "busy":
            return text.t("signin.busy", lang)
        return text.t("signin.wrong", lang)


def locked_until(
    store: Database,
    name: str,
    session_id: str | None,
    now: dt.datetime | None = None,
    *,
    address: str | None = None,
) -> dt.datetime | None:
    """The end of a lockout in force for this name from this address, or for this session or address.

    ``session_id`` is the session's id as Streamlit knows it; the log holds only its hash.
    Failures of the name before an admin's unlock of it no longer count.
    """
    now = now or dt.datetime.now()
    session, place = throttle.session_hash(session_id), address or ""
    rows = store.con.execute(
        """
        select attempted_at, reason, user_name = $name as same_name,
               coalesce(session_id = $session, false) as same_session, coalesce(address, '') = $place as same_place
        from sign_ins
        where attempted_at >= $since and (user_name = $name or session_id = $session or coalesce(address, '') = $place)
          and (not success or reason = 'unlocked')
        """,
        {"name": name, "session": session, "place": place, "since": now - throttle.WINDOW - throttle.LOCKOUT},
    ).fetchall()
    unlocked = max((r[0] for r in rows if r[1] == "unlocked" and r[2]), default=None)
    failures = [r for r in rows if r[1] not in throttle.NOT_FAILURES]
    ends = [
        throttle.lock_end([r[0] for r in failures if r[2] and r[4] and (unlocked is None or r[0] > unlocked)], now),
        throttle.lock_end([r[0] for r in failures if r[3]], now) if session else None,
        # on this machine (or behind a proxy on it) every client has one address: no address-wide lock there
        throttle.lock_end([r[0] for r in failures if r[4]], now, throttle.ADDRESS_FAILURES) if place else None,
    ]
    found = [e for e in ends if e is not None]
    return max(found) if found else None


def locked_names(store: Database, now: dt.datetime | None = None) -> pd.DataFrame:
    """The user names locked from some address now, with the address and when the lock ends."""
    now = now or dt.datetime.now()
    rows = store.con.execute(
        "select attempted_at, user_name, reason, coalesce(address, '') from sign_ins "
        "where attempted_at >= ? and (not success or reason = 'unlocked')",
        [now - throttle.WINDOW - throttle.LOCKOUT],
    ).fetchall()
    unlocked: dict[str, dt.datetime] = {}
    for at, name, reason, _ in rows:
        if reason == "unlocked":
            unlocked[name] = max(at, unlocked.get(name, at))
    failures: dict[tuple[str, str], list[dt.datetime]] = {}
    for at, name, reason, place in rows:
        if reason not in throttle.NOT_FAILURES and (name not in unlocked or at > unlocked[name]):
            failures.setdefault((name, place), []).append(at)
    locks = [
        (name, place, end)
        for (name, place), times in failures.items()
        if (end := throttle.lock_end(times, now)) is not None
    ]
    return pd.DataFrame(locks, columns=["user_name", "address", "locked_until"]).sort_values("user_name")


def unlock(store: Database, name: str, *, by: str, now: dt.datetime | None = None) -> None:
    """Lift every lock of the name: its earlier failures no longer count. Logged in both logs."""
    name = name.strip()[:MAX_NAME]
    at = now or dt.datetime.now()
    with store.writing(name, data=False) as con:
        con.execute(
            "insert into sign_ins (attempted_at, user_name, success, reason, method) values (?, ?, false, 'unlocked', 'admin')",
            [at, name],
        )
        _audit(con, by, "unlock", user=name)


def _log(
    store: Database,
    name: str,
    success: bool,
    reason: str,
    method: str,
    session_id: str | None,
    at: dt.datetime,
    address: str | None = None,
) -> None:
    cursor = store.new_cursor()  # an append of its own: never waits for an import
    try:
        cursor.execute(
            "insert into sign_ins (attempted_at, user_name, success, reason, method, session_id, address) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [at, name[:MAX_NAME], success, reason, method, throttle.session_hash(session_id), address or ""],
        )
    finally:
        cursor.close()


def sign_in(
    store: Database,
    name: str,
    password: str,
    *,
    session_id: str | None = None,
    address: str | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Check a user name and password; every attempt is logged, and repeated failures lock the name there.

    The lock check, the password check and the record of a failure are one step per name
    (throttle.name_lock), and the password check waits for one of throttle.CHECKS slots:
    a burst of any size gets at most MAX_FAILURES wrong passwords of a name checked per
    address and window, in bounded memory. A name or password over its cap is a wrong one,
    never hashed; a disabled account with the right password reads as a wrong password.
    """
    name = name.strip()[: MAX_NAME + 1]
    with throttle.name_lock(name):
        at = now or dt.datetime.now()
        until = locked_until(store, name, session_id, at, address=address)
        if until is not None:
            result = Attempt(None, "locked", until)
        elif len(name) > MAX_NAME or len(password) > MAX_PASSWORD:
            result = Attempt(None, "unknown_user" if len(name) > MAX_NAME else "wrong_password")
        else:
            try:
                result = _password_check(store, name, password)
            except throttle.Busy:
                result = Attempt(None, "busy")
        _log(store, name, result.user is not None, result.reason, "password", session_id, at, address)
        if result.user is None and result.reason not in throttle.NOT_FAILURES:
            # this failure may be the one that starts a lockout: say so at once
            until = locked_until(store, name, session_id, at, address=address)
            return Attempt(None, "locked", until) if until else result
        return result


def _password_check(store: Database, name: str, password: str) -> Attempt:
    row = store._row("select password_hash, enabled from users where user_name = ?", [name])
    good = _verify(row[0] if row else None, password)
    if row is None:
        return Attempt(None, "unknown_user")
    if not good:
        return Attempt(None, "wrong_password")
    if not row[1]:
        return Attempt(None, "disabled")
    return Attempt(find(store, name), "ok")


def _verify(stored: str | None, password: str) -> bool:
    """Always one argon2 check, in one of the pool's slots, so an unknown name takes as long as a wrong password."""
    with throttle.check_slot():
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
    cursor = store.new_cursor()
    try:
        _audit(cursor, who, action, **detail)
    finally:
        cursor.close()


def audit_log(store: Database, limit: int = 200) -> pd.DataFrame:
    return store.con.execute("select * from audit_log order by happened_at desc limit ?", [limit]).df()
