"""Sign-in that holds (issue 17): caps, a bounded pool of checks, one step per name, locks per client,
unlock, hashed session ids, sessions bound to their sign-in, downloads re-checked when produced."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.access import ADMIN, LEADER, OFFICE, PASSWORD, RESEARCH, add_users, database, sign_in, signed_in_app
from tests.conftest import ROOT
from wenming import cli
from wenming.store import Store, auth, throttle
from wenming.text import t

START = dt.datetime(2026, 11, 3, 9, 0)


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


def at_minute(i: int) -> dt.datetime:
    return START + dt.timedelta(minutes=i)


# ---------------------------------------------------------------- caps


def test_an_overlong_name_or_password_is_refused_unhashed_and_logged_cut(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_users(store)
    checks: list[str] = []
    monkeypatch.setattr(auth, "_verify", lambda stored, password: checks.append(password) or False)
    long_name = "名" * 4 * 1024 * 1024  # a 4 MiB name: once 5.6 MB of database per attempt
    assert auth.sign_in(store, long_name, "whatever-1").reason == "unknown_user"
    assert auth.sign_in(store, ADMIN, "x" * (auth.MAX_PASSWORD + 1)).reason == "wrong_password"
    assert checks == []  # neither was hashed
    logged = store.con.execute("select max(length(user_name)) from sign_ins").fetchall()[0][0]
    assert logged == auth.MAX_NAME
    with pytest.raises(auth.UserError) as refused:
        auth.set_password(store, OFFICE, "y" * (auth.MAX_PASSWORD + 1), by=ADMIN)
    assert refused.value.code == "long_password"


# ---------------------------------------------------------------- who is locked out, and where


def test_a_lock_holds_the_name_only_at_the_address_that_failed(store: Store) -> None:
    add_users(store)
    for i in range(5):
        auth.sign_in(store, ADMIN, "guess", session_id=f"s{i}", address="10.0.0.66", now=at_minute(i))
    stranger = auth.sign_in(store, ADMIN, PASSWORD, session_id="s9", address="10.0.0.66", now=at_minute(5))
    assert stranger.reason == "locked" and stranger.message("zh") == zh("signin.locked", until="09:19")
    at_desk = auth.sign_in(store, ADMIN, PASSWORD, session_id="desk", address="10.0.0.5", now=at_minute(5))
    assert at_desk.reason == "ok"


def test_an_address_guessing_many_names_is_locked_for_all_of_them(store: Store) -> None:
    add_users(store)
    for i in range(throttle.ADDRESS_FAILURES):
        auth.sign_in(store, f"guess{i}", "guess", session_id=f"s{i}", address="10.0.0.66", now=at_minute(0))
    assert auth.sign_in(store, OFFICE, PASSWORD, session_id="new", address="10.0.0.66", now=at_minute(1)).reason == (
        "locked"
    )
    assert auth.sign_in(store, OFFICE, PASSWORD, session_id="new", address="10.0.0.7", now=at_minute(1)).reason == "ok"


def test_a_disabled_or_locked_account_says_the_same_whatever_the_password(store: Store) -> None:
    add_users(store)
    auth.update_user(store, RESEARCH, by=ADMIN, enabled=False)
    right, wrong = auth.sign_in(store, RESEARCH, PASSWORD), auth.sign_in(store, RESEARCH, "wrong-one")
    assert right.user is None and right.message("zh") == wrong.message("zh") == zh("signin.wrong")
    assert auth.attempts(store)["reason"].tolist()[:2] == ["wrong_password", "disabled"]  # the log tells the admin
    for i in range(5):
        auth.sign_in(store, OFFICE, "wrong", now=at_minute(i))
    right, wrong = (
        auth.sign_in(store, OFFICE, PASSWORD, now=at_minute(6)),
        auth.sign_in(store, OFFICE, "x", now=at_minute(6)),
    )
    assert right.message("zh") == wrong.message("zh") == zh("signin.locked", until="09:19")


def test_an_admin_lifts_a_lock_and_earlier_failures_no_longer_count(store: Store) -> None:
    add_users(store)
    for i in range(5):
        auth.sign_in(store, ADMIN, "guess", now=at_minute(i))
    assert auth.locked_names(store, now=at_minute(5))["user_name"].tolist() == [ADMIN]
    auth.unlock(store, ADMIN, by=OFFICE, now=at_minute(5))
    assert auth.locked_names(store, now=at_minute(6)).empty
    assert auth.sign_in(store, ADMIN, "one-more-guess", now=at_minute(6)).reason == "wrong_password"  # 1, not 6
    assert auth.sign_in(store, ADMIN, PASSWORD, now=at_minute(7)).reason == "ok"
    assert auth.audit_log(store)["action"].tolist()[0] == "unlock"


def test_cli_users_unlock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = database(tmp_path, data=False)
    store = Store.open(db)
    for _ in range(5):
        auth.sign_in(store, ADMIN, "guess")
    assert auth.sign_in(store, ADMIN, PASSWORD).reason == "locked"
    store.close()
    assert cli.main(["users", "unlock", ADMIN, "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == zh("cli.user_unlocked", name=ADMIN)
    store = Store.open(db)
    assert auth.sign_in(store, ADMIN, PASSWORD).reason == "ok"
    store.close()


def test_admin_unlocks_a_name_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    store = Store.open(db)
    for _ in range(5):
        auth.sign_in(store, OFFICE, "guess", address="10.0.0.66")
    store.close()
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/admin.py")
    (locks,) = [df.value for df in at.dataframe if "locked_until" in df.value.columns]
    assert locks[["user_name", "address"]].values.tolist() == [[OFFICE, "10.0.0.66"]]
    next(b for b in at.button if b.label == zh("admin.unlock")).click().run()
    assert [s.value for s in at.success] == [zh("cli.user_unlocked", name=OFFICE)]
    assert zh("admin.locks_none") in [c.value for c in at.caption]


# ---------------------------------------------------------------- a burst


BURST = """
import json, sys, threading
from wenming.store import Store, auth

store = Store.open(sys.argv[1])
running = peak = 0
guard = threading.Lock()

class Counted:  # the real hasher, counting the checks running at once
    def __init__(self, inner):
        self.inner = inner

    def verify(self, stored, password):
        global running, peak
        with guard:
            running += 1
            peak = max(peak, running)
        try:
            return self.inner.verify(stored, password)
        finally:
            with guard:
                running -= 1

auth._HASHER = Counted(auth._HASHER)
start = threading.Barrier(200)

def attempt(i):
    cursor = store.cursor()
    start.wait()
    if i < 100:  # one address guessing the admin's password; the 12th sent is the right one
        auth.sign_in(cursor, "管理员", "correct-horse-1" if i == 11 else f"guess-{i}", session_id=f"a{i}", address="10.0.0.66")
    else:  # a hundred names, each checked: the pool is what bounds the memory
        auth.sign_in(cursor, f"name-{i}", "guess", session_id=f"b{i}", address=f"10.0.1.{i}")
    cursor.close()

threads = [threading.Thread(target=attempt, args=(i,)) for i in range(200)]
for thread in threads: thread.start()
for thread in threads: thread.join()
rows = store.con.execute(
    "select reason, success from sign_ins where user_name = '管理员' order by attempted_at, rowid"
).fetchall()
print(json.dumps({
    # VmHWM: this process's own peak (ru_maxrss would start from the parent's size at fork)
    "peak_rss_mb": int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]) / 1024,
    "parallel_checks": peak,
    "reasons": [r[0] for r in rows],
}))
"""


def test_a_burst_of_200_sign_ins_stays_bounded_and_checks_five_guesses_per_name(tmp_path: Path) -> None:
    db = database(tmp_path, data=False)
    done = subprocess.run(
        [sys.executable, "-c", BURST, str(db)], cwd=ROOT, capture_output=True, text=True, timeout=600, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["peak_rss_mb"] < 1024  # once 4.39 GB: 64 MiB per check, all at once
    assert found["parallel_checks"] <= throttle.CHECKS
    reasons = found["reasons"]
    assert reasons.count("wrong_password") == auth.MAX_FAILURES  # once 16-25 per lock
    # the right password signs in only if it came before the fifth failure, never after it
    if "ok" in reasons:
        assert reasons[: reasons.index("ok")].count("wrong_password") < auth.MAX_FAILURES
    assert set(reasons) <= {"wrong_password", "locked", "ok", "busy"}  # busy: waited for a check in vain


def test_a_full_pool_refuses_as_busy_without_checking(store: Store) -> None:
    add_users(store)
    with throttle.check_slot(), throttle.check_slot():  # both slots taken
        original = throttle.CHECK_WAIT
        throttle.CHECK_WAIT = 0.05
        try:
            busy = auth.sign_in(store, OFFICE, PASSWORD)
        finally:
            throttle.CHECK_WAIT = original
    assert busy.reason == "busy" and busy.message("zh") == zh("signin.busy")
    assert auth.sign_in(store, OFFICE, PASSWORD).reason == "ok"  # busy is no failure


# ---------------------------------------------------------------- sessions


def test_a_copied_database_holds_no_usable_session_id(tmp_path: Path) -> None:
    path = tmp_path / "copied.duckdb"
    store = Store.open(path)
    add_users(store)
    session = str(uuid.uuid4())
    assert auth.sign_in(store, ADMIN, PASSWORD, session_id=session).reason == "ok"
    legacy = str(uuid.uuid4())  # a row written before the hashing
    store.con.execute(
        "insert into sign_ins (attempted_at, user_name, success, reason, method, session_id) "
        "values (now(), ?, true, 'ok', 'password', ?)",
        [ADMIN, legacy],
    )
    store.close()
    store = Store.open(path)  # opening hashes what an older version left
    store.con.execute("checkpoint")
    stored = {r[0] for r in store.con.execute("select session_id from sign_ins").fetchall()}
    store.close()
    assert stored == {throttle.session_hash(session), throttle.session_hash(legacy)}
    # nowhere in the file: (a legacy id may linger in freed blocks, but its session ended with the old server)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert session.encode() not in raw


@pytest.mark.parametrize("change", [{"role": "leader"}, {"enabled": False}, {"password": "a-new-pass-9"}])
def test_a_session_ends_when_the_user_is_demoted_disabled_or_gets_a_new_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, object]
) -> None:
    db = database(tmp_path)
    store = Store.open(db)
    auth.update_user(store, OFFICE, by=ADMIN, role="admin")
    store.close()
    at = signed_in_app(db, monkeypatch, OFFICE, "pages/admin.py")
    assert at.title[0].value == zh("page.admin")
    store = Store.open(db)
    if "password" in change:
        auth.set_password(store, OFFICE, str(change["password"]), by=ADMIN)
    else:
        auth.update_user(store, OFFICE, by=ADMIN, **change)
    store.close()
    at.run()
    assert [w.value for w in at.warning] == [zh("signin.gone")]
    assert [x.value for x in at.title] == [zh("signin.title")] and not at.dataframe


def _deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The download callables the app registers, by placeholder id (AppTest never runs them itself)."""
    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def capture(self: MediaFileManager, data_callable: object, *args: object, **kwargs: object) -> str:
        file_id = original(self, data_callable, *args, **kwargs)
        found[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return found


def test_a_demoted_admins_download_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    store = Store.open(db)
    auth.update_user(store, OFFICE, by=ADMIN, role="admin")  # a second admin, to demote the first
    store.close()
    callables = _deferred(monkeypatch)
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/history.py")
    (button,) = at.get("download_button")
    produce = callables[button.proto.deferred_file_id]
    original = produce()  # still an admin: the file
    assert original[:2] == b"PK"
    store = Store.open(db)
    auth.update_user(store, ADMIN, by=OFFICE, role="leader")  # demoted, without a click in between
    store.close()
    with pytest.raises(auth.Forbidden):
        produce()
    store = Store.open(db)
    actions = auth.audit_log(store)["action"].tolist()
    store.close()
    assert actions[:3] == ["download_refused", "user_update", "download_original"]


def test_another_session_cannot_produce_a_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit produces the file of a download id for whichever session sends it: ours refuse another's."""
    from wenming.web import signin

    callables = _deferred(monkeypatch)
    at = signed_in_app(database(tmp_path), monkeypatch, ADMIN, "pages/history.py")
    (button,) = at.get("download_button")
    token = signin.REQUESTER.set("a-session-that-learnt-the-id")
    try:
        with pytest.raises(auth.Forbidden):
            callables[button.proto.deferred_file_id]()
    finally:
        signin.REQUESTER.reset(token)
    assert callables[button.proto.deferred_file_id]()[:2] == b"PK"


def test_a_download_after_sign_out_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    callables = _deferred(monkeypatch)
    at = signed_in_app(database(tmp_path), monkeypatch, LEADER, "pages/tasks.py")
    ids = [b.proto.deferred_file_id for b in at.get("download_button")]
    assert ids and callables[ids[0]]()[:2] == b"PK"  # the task list, while signed in
    at.sidebar.button(key="signin_out").click().run()
    with pytest.raises(auth.Forbidden):
        callables[ids[0]]()


def test_the_sign_in_form_caps_what_can_be_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.access import app

    at = app(database(tmp_path), monkeypatch)
    name, password = at.text_input(key="signin_name"), at.text_input(key="signin_password")
    assert (name.max_chars, password.max_chars) == (auth.MAX_NAME, auth.MAX_PASSWORD)
    assert sign_in(at, ADMIN).title[0].value == zh("page.overview")


def test_a_clear_cache_message_from_any_client_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from streamlit.runtime import caching
    from streamlit.runtime.app_session import AppSession

    from wenming.web import signin

    cleared: list[str] = []
    monkeypatch.setattr(caching.cache_data, "clear", lambda: cleared.append("data"))
    monkeypatch.setattr(caching.cache_resource, "clear", lambda: cleared.append("resource"))
    monkeypatch.setattr(AppSession, "_handle_clear_cache_request", AppSession._handle_clear_cache_request)
    stranger = SimpleNamespace(id="not-signed-in", _session_state=SimpleNamespace(clear=lambda: cleared.append("s")))
    signin.harden()  # Streamlit's own handler clears every cache, for everyone
    AppSession._handle_clear_cache_request(stranger)  # type: ignore[arg-type]
    assert cleared == []
