"""Sign-in: users and passwords, the attempt log, lockout, the gate before any data, single sign-on, local mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1.util import patch_config_options

from tests.access import (
    ADMIN,
    LEADER,
    OFFICE,
    PASSWORD,
    RESEARCH,
    add_users,
    app,
    database,
    nav,
    sign_in,
    signed_in_app,
)
from wenming.store import Store, auth, throttle
from wenming.text import t


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


# ---------------------------------------------------------------- the users table


def test_passwords_are_argon2_hashes_never_the_password(store: Store) -> None:
    add_users(store)
    stored = store.con.execute("select password_hash from users where user_name = ?", [OFFICE]).fetchall()[0][0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert auth.sign_in(store, OFFICE, PASSWORD).user == auth.User(OFFICE, "staff", ("办公室",))


def test_the_first_user_must_be_an_admin(store: Store) -> None:
    with pytest.raises(auth.UserError) as refused:
        auth.add_user(store, OFFICE, "staff", ["办公室"], password=PASSWORD)
    assert refused.value.message("zh") == zh("users.error_first_admin")
    assert not auth.has_users(store)


@pytest.mark.parametrize(
    ("name", "role", "departments", "password", "code"),
    [
        (OFFICE, "staff", ["办公室"], PASSWORD, "exists"),
        ("新人", "boss", [], PASSWORD, "role"),
        ("新人", "staff", [], PASSWORD, "staff_departments"),
        ("新人", "leader", [], "short", "short_password"),
        ("新 人", "leader", [], PASSWORD, "name"),
        ("新人", "leader", [], None, "no_credential"),
    ],
)
def test_a_user_that_cannot_be_added_gets_one_sentence(
    store: Store, name: str, role: str, departments: list[str], password: str | None, code: str
) -> None:
    add_users(store)
    before = auth.users(store)
    with pytest.raises(auth.UserError) as refused:
        auth.add_user(store, name, role, departments, password=password, by=ADMIN)
    assert refused.value.code == code
    assert refused.value.message("zh").endswith("。")
    assert auth.users(store)["user_name"].tolist() == before["user_name"].tolist()


def test_the_last_admin_cannot_be_disabled_or_demoted(store: Store) -> None:
    add_users(store)
    for change in ({"enabled": False}, {"role": "leader"}):
        with pytest.raises(auth.UserError) as refused:
            auth.update_user(store, ADMIN, by=ADMIN, **change)
        assert refused.value.code == "last_admin"
    auth.update_user(store, OFFICE, by=ADMIN, role="admin")
    auth.update_user(store, ADMIN, by=OFFICE, enabled=False)  # another admin remains
    assert not auth.find(store, ADMIN).enabled


def test_user_changes_are_in_the_audit_log(store: Store) -> None:
    add_users(store)
    auth.update_user(store, OFFICE, by=ADMIN, departments=["办公室", "研究室"])
    auth.set_password(store, OFFICE, "another-pass-2", by=ADMIN)
    log = auth.audit_log(store)
    assert log["action"].tolist()[:2] == ["password", "user_update"]
    assert set(log["user_name"]) == {ADMIN}
    assert auth.sign_in(store, OFFICE, "another-pass-2").user.departments == ("办公室", "研究室")


# ---------------------------------------------------------------- signing in, logged, locked


def test_every_attempt_is_logged_with_its_reason(store: Store) -> None:
    add_users(store)
    auth.update_user(store, RESEARCH, by=ADMIN, enabled=False)
    results = [
        auth.sign_in(store, OFFICE, PASSWORD, session_id="s1"),
        auth.sign_in(store, OFFICE, "wrong-password", session_id="s1"),
        auth.sign_in(store, "nobody", PASSWORD, session_id="s2"),
        auth.sign_in(store, RESEARCH, PASSWORD, session_id="s3"),
    ]
    assert [r.reason for r in results] == ["ok", "wrong_password", "unknown_user", "disabled"]
    log = auth.attempts(store).sort_values("attempted_at")
    assert log[["user_name", "success", "reason", "method"]].values.tolist() == [
        [OFFICE, True, "ok", "password"],
        [OFFICE, False, "wrong_password", "password"],
        ["nobody", False, "unknown_user", "password"],
        [RESEARCH, False, "disabled", "password"],
    ]
    hashed = [throttle.session_hash(s) for s in ("s1", "s1", "s2", "s3")]  # the log keeps no session id itself
    assert log["attempted_at"].notna().all() and log["session_id"].tolist() == hashed
    # a wrong password, an unknown name and a disabled account read the same
    assert results[1].message("zh") == results[2].message("zh") == results[3].message("zh") == zh("signin.wrong")


def test_five_failures_lock_the_name_for_fifteen_minutes(store: Store) -> None:
    add_users(store)
    start = dt.datetime(2026, 11, 3, 9, 0)
    reasons = [
        auth.sign_in(store, OFFICE, "wrong", session_id=f"s{i}", now=start + dt.timedelta(minutes=i)).reason
        for i in range(5)
    ]
    assert reasons == ["wrong_password"] * 4 + ["locked"]
    fifth = start + dt.timedelta(minutes=4)
    # locked even with the right password, from another session, until 15 minutes after the fifth failure
    during = auth.sign_in(store, OFFICE, PASSWORD, session_id="other", now=fifth + dt.timedelta(minutes=14))
    assert during.reason == "locked" and during.until == fifth + auth.LOCKOUT
    assert during.message("zh") == zh("signin.locked", until="09:19")
    assert auth.sign_in(store, RESEARCH, PASSWORD, session_id="other", now=fifth).reason == "ok"  # others unaffected
    after = auth.sign_in(store, OFFICE, PASSWORD, session_id="other", now=fifth + dt.timedelta(minutes=15))
    assert after.reason == "ok"


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(store: Store) -> None:
    add_users(store)
    start = dt.datetime(2026, 11, 3, 9, 0)
    for i in range(6):
        auth.sign_in(store, OFFICE, "wrong", now=start + dt.timedelta(minutes=4 * i))
    assert auth.sign_in(store, OFFICE, PASSWORD, now=start + dt.timedelta(minutes=25)).reason == "ok"


def test_five_failures_of_one_session_lock_that_session(store: Store) -> None:
    add_users(store)
    now = dt.datetime(2026, 11, 3, 9, 0)
    for name in ("a", "b", "c", "d", "e"):  # guessing names
        auth.sign_in(store, name, "wrong", session_id="guesser", now=now)
    assert auth.sign_in(store, OFFICE, PASSWORD, session_id="guesser", now=now).reason == "locked"
    assert auth.sign_in(store, OFFICE, PASSWORD, session_id="colleague", now=now).reason == "ok"


# ---------------------------------------------------------------- the gate, through the app


def shown_data(at) -> int:
    """Everything on screen that would show data or filter it."""
    return sum(
        len(elements)
        for elements in (at.metric, at.dataframe, at.get("plotly_chart"), at.date_input, at.multiselect, at.title[1:])
    )


def test_nothing_but_the_sign_in_form_before_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(database(tmp_path), monkeypatch)
    assert not at.exception
    assert [x.value for x in at.title] == [zh("signin.title")]
    assert shown_data(at) == 0
    assert [x.label for x in at.text_input] == [zh("signin.name"), zh("signin.password")]
    assert [x.label for x in at.button] == [zh("signin.submit")]
    assert not [c for c in at.caption if c.value.startswith(zh("page.source"))]
    for page in ("pages/tasks.py", "pages/upload.py", "pages/admin.py"):  # a page's URL shows the form too
        at.switch_page(page).run()
        assert [x.value for x in at.title] == [zh("signin.title")] and shown_data(at) == 0


def test_a_wrong_password_shows_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(database(tmp_path), monkeypatch), OFFICE, "not-the-password")
    assert [e.value for e in at.error] == [zh("signin.wrong")]
    assert shown_data(at) == 0


def test_repeated_failures_lock_the_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    at = app(db, monkeypatch)
    for _ in range(4):
        sign_in(at, OFFICE, "wrong")
        assert [e.value for e in at.error] == [zh("signin.wrong")]
    sign_in(at, OFFICE, "wrong")
    (error,) = at.error
    assert error.value.startswith("登录失败次数过多")
    sign_in(at, OFFICE, PASSWORD)  # the right password no longer helps
    assert at.error[0].value.startswith("登录失败次数过多") and shown_data(at) == 0
    store = Store.open(db)
    log = auth.attempts(store).sort_values("attempted_at")
    store.close()
    assert log["reason"].tolist() == ["wrong_password"] * 5 + ["locked"]  # the fifth failure locks
    assert log["session_id"].nunique() == 1


def test_signed_in_a_user_sees_figures_and_their_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in_app(database(tmp_path), monkeypatch, OFFICE)
    assert [x.value for x in at.title] == [zh("page.overview")]
    assert at.metric and at.date_input
    assert zh("signin.signed_in", name=OFFICE, role=zh("role.staff")) in [c.value for c in at.sidebar.caption]
    at.sidebar.button(key="signin_out").click().run()
    assert [x.value for x in at.title] == [zh("signin.title")] and shown_data(at) == 0


def test_a_user_disabled_while_signed_in_is_out_at_the_next_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = database(tmp_path)
    at = signed_in_app(db, monkeypatch, OFFICE)
    store = Store.open(db)
    auth.update_user(store, OFFICE, by=ADMIN, enabled=False)
    store.close()
    at.run()
    assert [w.value for w in at.warning] == [zh("signin.gone")]
    assert [x.value for x in at.title] == [zh("signin.title")] and shown_data(at) == 0


# ---------------------------------------------------------------- with no users: local mode, loopback only


def test_without_users_the_app_is_local_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(database(tmp_path, users=False), monkeypatch)
    assert [x.value for x in at.title] == [zh("page.overview")] and at.metric
    assert zh("signin.local") in [c.value for c in at.sidebar.caption]
    assert nav(at) == [
        "overview.py",
        "tasks.py",
        "overdue.py",
        "scores.py",
        "participation.py",
        "review.py",
        "evidence.py",  # issue 16
        "upload.py",
        "history.py",
        "admin.py",
    ]


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", ""])
def test_without_users_an_open_server_shows_no_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    with patch_config_options({"server.address": address or None}):
        at = app(database(tmp_path, users=False), monkeypatch)
    assert [e.value for e in at.error] == [zh("signin.open_without_users", address=address or "0.0.0.0")]
    assert shown_data(at) == 0 and not at.text_input and not at.title


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses(address: str) -> None:
    from wenming.web import signin

    assert signin.loopback(address)
    assert not signin.loopback("0.0.0.0") and not signin.loopback(None) and not signin.loopback("10.0.0.1")


def test_with_users_an_open_server_asks_for_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with patch_config_options({"server.address": "0.0.0.0"}):
        at = app(database(tmp_path), monkeypatch)
        assert [x.value for x in at.title] == [zh("signin.title")] and not at.error
        sign_in(at, LEADER)
    assert [x.value for x in at.title] == [zh("page.overview")] and at.metric


# ---------------------------------------------------------------- single sign-on (OIDC), with a fake identity

AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://dashboard.example.cn:8501/oauth2callback",
        "cookie_secret": "a long random string kept out of the repository",
        "client_id": "wenming",
        "client_secret": "from the identity provider",
        "server_metadata_url": "https://sso.example.cn/.well-known/openid-configuration",
    }
}


def oidc_app(db: Path, monkeypatch: pytest.MonkeyPatch, user: dict) -> object:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WENMING_DB", str(db))
    monkeypatch.setenv("WENMING_SAMPLES", "0")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=30)
    at.secrets = AUTH_SECRETS
    at.user = user
    return at.run()


def test_a_verified_identity_in_the_users_table_is_signed_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    at = oidc_app(db, monkeypatch, {"is_logged_in": True, "email": "Wang@Example.cn", "name": "王"})
    assert not at.exception and [x.value for x in at.title] == [zh("page.overview")] and at.metric
    assert zh("signin.signed_in", name=LEADER, role=zh("role.leader")) in [c.value for c in at.sidebar.caption]
    assert "upload.py" not in nav(at)
    at.run()  # logged once per session, not per rerun
    store = Store.open(db)
    log = auth.attempts(store)
    store.close()
    assert log[["user_name", "success", "reason", "method"]].values.tolist() == [
        ["Wang@Example.cn", True, "ok", "oidc"]
    ]


def test_an_identity_not_in_the_users_table_is_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    at = oidc_app(db, monkeypatch, {"is_logged_in": True, "email": "stranger@example.cn"})
    # the email as Markdown text: a word joiner after @ keeps it from becoming a mailto: link
    assert [e.value for e in at.error] == [zh("signin.not_registered", email="stranger@\u2060example.cn")]
    assert shown_data(at) == 0 and [b.label for b in at.button] == [zh("signin.sso_other")]
    at.run()
    store = Store.open(db)
    assert auth.attempts(store)[["reason", "method"]].values.tolist() == [["not_registered", "oidc"]]
    store.close()


def test_before_single_sign_on_the_form_offers_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = oidc_app(database(tmp_path), monkeypatch, {"is_logged_in": False})
    assert [x.value for x in at.title] == [zh("signin.title")] and shown_data(at) == 0
    assert [b.label for b in at.button] == [zh("signin.submit"), zh("signin.sso")]
    sign_in(at, ADMIN)  # the password still works beside it
    assert [x.value for x in at.title] == [zh("page.overview")]
