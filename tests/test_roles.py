"""Who may change what, enforced in the store: the same answer from the function, the command line and the pages.

Roles as tested here:

| | read | import own departments | import others / whole kind | restore | users, aliases |
|---|---|---|---|---|---|
| leader | yes | no | no | no | no |
| staff | yes | yes | no | no | no |
| admin | yes | yes | yes | yes | yes |
| no users (local mode) | yes | yes | yes | yes | yes |
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.access import (
    ADMIN,
    AS_OF,
    LEADER,
    MIXED_BOOK,
    OFFICE,
    OFFICE_BOOK,
    RESEARCH,
    WHOLE_BOOK,
    XLSX,
    add_users,
    database,
    nav,
    signed_in_app,
    tasks_book,
)
from tests.conftest import dump
from wenming import cli
from wenming.store import Store, auth
from wenming.text import t


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


def current_tasks(store: Store) -> list[tuple[str, str]]:
    return sorted(store.con.execute("select department, task from tasks_at(null)").fetchall())


@pytest.fixture
def users(store: Store) -> Store:
    add_users(store)
    store.import_file(OFFICE_BOOK, "office.xlsx", user=ADMIN, as_of=AS_OF)
    return store


# ---------------------------------------------------------------- the import function itself


def test_staff_import_their_own_department(users: Store) -> None:
    book = tasks_book(["办公室新任务", "办公室", "", ""])
    result = users.import_file(book, "mine.xlsx", user=OFFICE, as_of=AS_OF)
    assert result.import_id is not None
    assert current_tasks(users) == [("办公室", "办公室新任务")]
    assert users.imports().iloc[0]["user_name"] == OFFICE


def test_staff_cannot_import_another_departments_rows(users: Store) -> None:
    before = dump(users)
    with pytest.raises(auth.Forbidden) as refused:
        users.import_file(MIXED_BOOK, "mixed.xlsx", user=OFFICE, as_of=AS_OF)
    assert refused.value.message("zh") == zh(
        "refused.sentence",
        file="mixed.xlsx",
        reason=zh("refused.forbidden_departments", user=OFFICE, allowed="办公室", denied="法工委、研究室"),
    )
    assert dump(users) == before
    assert not list(users.archive.glob(f"{refused.value.file_name}*"))  # no original kept either


def test_staff_cannot_replace_a_whole_kind(users: Store) -> None:
    before = dump(users)
    with pytest.raises(auth.Forbidden) as refused:
        users.import_file(WHOLE_BOOK, "scores.xlsx", user=RESEARCH, as_of=AS_OF)
    assert zh("forbidden.whole", kind=zh("kind.scores")) in refused.value.message("zh")
    assert dump(users) == before


def test_a_leader_cannot_import(users: Store) -> None:
    before = dump(users)
    with pytest.raises(auth.Forbidden) as refused:
        users.import_file(OFFICE_BOOK, "office2.xlsx", user=LEADER, as_of=AS_OF)
    assert refused.value.message("zh") == zh(
        "refused.sentence", file="office2.xlsx", reason=zh("refused.forbidden_leader", user=LEADER)
    )
    assert dump(users) == before


@pytest.mark.parametrize("who", ["nobody", ""])
def test_an_unknown_or_disabled_user_cannot_import(users: Store, who: str) -> None:
    auth.update_user(users, RESEARCH, by=ADMIN, enabled=False)
    before = dump(users)
    for name in (who, RESEARCH):
        with pytest.raises(auth.Forbidden):
            users.import_file(tasks_book(["研究任务", "研究室", "", ""]), "r.xlsx", user=name, as_of=AS_OF)
    assert dump(users) == before


def test_an_admin_imports_anything(users: Store) -> None:
    users.import_file(MIXED_BOOK, "mixed.xlsx", user=ADMIN, as_of=AS_OF)
    users.import_file(WHOLE_BOOK, "scores.xlsx", user=ADMIN, as_of=AS_OF)
    assert ("法工委", "法工任务") in current_tasks(users)


def test_rights_follow_aliases(users: Store) -> None:
    users.set_alias("办公厅", "办公室", by=ADMIN)
    users.import_file(tasks_book(["别名任务", "办公厅", "", ""]), "alias.xlsx", user=OFFICE, as_of=AS_OF)
    assert current_tasks(users) == [("办公室", "别名任务")]


def test_without_users_everything_is_allowed(store: Store) -> None:
    store.import_file(MIXED_BOOK, "mixed.xlsx", user="任何人", as_of=AS_OF)
    store.restore(1, user="任何人", department="研究室")
    assert store.imports()["user_name"].tolist() == ["任何人", "任何人"]


# ---------------------------------------------------------------- restore: admins only, exactly, logged


def test_only_admins_restore(users: Store) -> None:
    users.import_file(tasks_book(["办公室第二版", "办公室", "", ""]), "v2.xlsx", user=OFFICE, as_of=AS_OF)
    before = dump(users)
    for who in (OFFICE, LEADER):
        with pytest.raises(auth.Forbidden) as refused:
            users.restore(1, user=who, department="办公室")
        assert zh("refused.forbidden_restore", user=who) in refused.value.message("zh")
    assert dump(users) == before
    restored = users.restore(1, user=ADMIN, department="办公室")
    assert current_tasks(users) == [("办公室", "办公室任务一"), ("办公室", "办公室任务二")]
    log = users.imports().set_index("import_id").loc[restored]
    assert (log["action"], log["restored_from"], log["user_name"]) == ("restore", 1, ADMIN)
    assert auth.audit_log(users).iloc[0][["user_name", "action"]].tolist() == [ADMIN, "restore"]


def test_restore_brings_back_exactly_the_earlier_rows(store: Store) -> None:
    """Every column of the department's rows as imported, other departments and kinds untouched."""
    first = tasks_book(["办公室旧", "办公室", "2025-06-30", "已完成"], ["研究旧", "研究室", "长期坚持", "推进中"])
    store.import_file(first, "v1.xlsx", user="a", as_of=AS_OF)
    store.import_file(tasks_book(["办公室新", "办公室", "", ""], ["研究新", "研究室", "", ""]), "v2.xlsx", user="a")
    store.import_file(tasks_book(["只有研究室", "研究室", "", ""]), "v3.xlsx", user="a", as_of=AS_OF)

    names = store.con.execute("select column_name from duckdb_columns() where table_name = 'tasks'").fetchall()
    columns = ", ".join(n for (n,) in names if n != "load_id")
    old = store.con.execute(f"select {columns} from tasks where load_id = 1 and department = '办公室'").fetchall()
    untouched = store.con.execute(f"select {columns} from tasks_at(null) where department <> '办公室'").fetchall()
    store.restore(1, user="a", department="办公室")
    assert store.con.execute(f"select {columns} from tasks_at(null) where department = '办公室'").fetchall() == old
    assert store.con.execute(f"select {columns} from tasks_at(null) where department <> '办公室'").fetchall() == (
        untouched
    )


def test_restoring_a_department_an_import_did_not_hold_changes_nothing(store: Store) -> None:
    store.import_file(tasks_book(["办公室任务", "办公室", "", ""]), "office.xlsx", user="a", as_of=AS_OF)
    store.import_file(tasks_book(["研究任务", "研究室", "", ""]), "research.xlsx", user="a", as_of=AS_OF)
    before = dump(store)
    with pytest.raises(ValueError):
        store.restore(2, user="a", department="办公室")  # import 2 spoke for 研究室 only
    assert dump(store) == before
    assert current_tasks(store) == [("办公室", "办公室任务"), ("研究室", "研究任务")]


# ---------------------------------------------------------------- the command line


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli_db(tmp_path: Path) -> Path:
    return database(tmp_path)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_cli_import_needs_a_registered_user(cli_db: Path, tmp_path: Path, capsys) -> None:
    book = write(tmp_path, "office.xlsx", tasks_book(["命令行任务", "办公室", "", ""]))
    code, _, err = run(["import", book, "--db", str(cli_db)], capsys)
    assert code == 1 and err.strip() == zh("cli.need_user")
    code, _, err = run(["import", book, "--db", str(cli_db), "--user", "nobody"], capsys)
    assert code == 1 and zh("refused.forbidden_unknown_user", user="nobody") in err
    code, out, _ = run(["import", book, "--db", str(cli_db), "--user", OFFICE], capsys)
    assert code == 0 and "已导入 office.xlsx" in out


def test_cli_staff_cannot_import_another_department(cli_db: Path, tmp_path: Path, capsys) -> None:
    book = write(tmp_path, "mixed.xlsx", MIXED_BOOK)
    before = dump(Store.open(cli_db))
    code, out, err = run(["import", book, "--db", str(cli_db), "--user", OFFICE], capsys)
    assert code == 1 and not out
    assert err.strip() == zh(
        "refused.sentence",
        file="mixed.xlsx",
        reason=zh("refused.forbidden_departments", user=OFFICE, allowed="办公室", denied="法工委、研究室"),
    )
    code, _, err = run(["import", book, "--db", str(cli_db), "--user", LEADER], capsys)
    assert code == 1 and zh("refused.forbidden_leader", user=LEADER) in err
    assert dump(Store.open(cli_db)) == before


def test_cli_restore_needs_an_admin(cli_db: Path, capsys) -> None:
    code, _, err = run(["restore-import", "1", "--db", str(cli_db), "--user", OFFICE], capsys)
    assert code == 1 and zh("refused.forbidden_restore", user=OFFICE) in err and "Traceback" not in err
    code, out, _ = run(["restore-import", "1", "--db", str(cli_db), "--user", ADMIN], capsys)
    assert code == 0 and out.strip() == zh("cli.restored", source=1, import_id=2)


def test_cli_users_add_list_disable_password(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    db = str(tmp_path / "users.duckdb")
    monkeypatch.setattr("sys.stdin", io.StringIO("first-pass-1\n"))
    code, out, _ = run(["users", "add", "admin", "--role", "admin", "--db", db], capsys)
    assert code == 0 and out.strip() == zh("cli.user_added", name="admin", role=zh("role.admin"), departments="")
    monkeypatch.setattr("sys.stdin", io.StringIO("staff-pass-1\n"))
    code, out, _ = run(["users", "add", "小王", "--role", "staff", "--department", "工会", "--db", db], capsys)
    assert code == 0 and "工会" in out
    code, _, err = run(["users", "add", "小李", "--role", "staff", "--no-password", "--db", db], capsys)
    assert code == 1 and err.strip() == zh("users.error_staff_departments")
    sso = ["users", "add", "王局", "--role", "leader", "--email", "wang@example.cn", "--no-password", "--db", db]
    assert run(sso, capsys)[0] == 0  # single sign-on only: no password asked
    code, out, _ = run(["users", "list", "--db", db], capsys)
    assert code == 0 and "admin" in out and "小王" in out and "工会" in out
    head, *rows = out.splitlines()
    assert head.split() == ["用户名", "角色", "部门", "邮箱", "启用", "有密码", "最近登录"]
    assert "NaT" not in out and rows[0].split()[1] == "管理员"  # never signed in: —
    monkeypatch.setattr("sys.stdin", io.StringIO("second-pass-2\n"))
    assert run(["users", "password", "小王", "--db", db], capsys)[1].strip() == zh("cli.password_set", name="小王")
    assert run(["users", "disable", "小王", "--db", db], capsys)[1].strip() == zh("cli.user_disabled", name="小王")
    store = Store.open(db)
    assert auth.find_by_email(store, "WANG@example.cn") == auth.User("王局", "leader", (), "wang@example.cn")
    assert auth.sign_in(store, "王局", "").reason == "wrong_password"  # no password: no password sign-in
    assert auth.sign_in(store, "小王", "second-pass-2").reason == "disabled"
    auth.update_user(store, "小王", by="admin", enabled=True)
    assert auth.sign_in(store, "小王", "second-pass-2").reason == "ok"
    assert "second-pass-2" not in str(dump(store))
    store.close()


def test_the_password_is_never_a_command_line_argument() -> None:
    for action in ("add", "password"):
        parser = cli.parser()
        with pytest.raises(SystemExit):
            parser.parse_args(["users", action, "x", "--password", "secret-123", "--role", "admin"])


# ---------------------------------------------------------------- the pages


def test_pages_by_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    views = ["overview.py", "tasks.py", "overdue.py", "scores.py", "participation.py", "review.py", "evidence.py"]
    expected = {
        LEADER: [*views, "history.py"],
        OFFICE: [*views, "upload.py", "history.py"],
        ADMIN: [*views, "upload.py", "history.py", "admin.py"],
    }
    for name, pages in expected.items():
        assert nav(signed_in_app(db, monkeypatch, name)) == pages, name


def test_a_page_the_role_may_not_use_stops_before_it_shows_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as their own script (as a test would, bypassing the navigation): the page itself checks."""
    from streamlit.testing.v1 import AppTest

    from tests.access import ROOT, sign_in

    monkeypatch.setenv("WENMING_DB", str(database(tmp_path)))
    for page, who in (("upload.py", LEADER), ("admin.py", OFFICE)):
        at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=30)
        at.session_state["_signed_in"] = who
        at.run()
        assert [e.value for e in at.error] == [zh("signin.forbidden_page")]
        assert not at.file_uploader and not at.dataframe and not at.text_input
    assert sign_in  # the same form serves every page


def test_staff_upload_of_another_departments_rows_is_refused_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = database(tmp_path)
    at = signed_in_app(db, monkeypatch, OFFICE, "pages/upload.py")
    before = dump(Store.open(db))
    assert not at.text_input  # the importer is the signed-in user, not a typed name
    assert zh("upload.as_user", name=OFFICE, departments="办公室") in [c.value for c in at.caption]
    at.file_uploader[0].upload("mixed.xlsx", MIXED_BOOK, XLSX).run()
    reason = zh("refused.forbidden_departments", user=OFFICE, allowed="办公室", denied="法工委、研究室")
    assert [e.value for e in at.error] == [zh("refused.sentence", file="mixed.xlsx", reason=reason)]
    assert not at.main.button  # nothing to confirm
    assert dump(Store.open(db)) == before


def test_staff_upload_of_their_own_rows_through_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    at = signed_in_app(db, monkeypatch, OFFICE, "pages/upload.py")
    at.file_uploader[0].upload("mine.xlsx", tasks_book(["页面任务", "办公室", "", ""]), XLSX).run()
    assert not at.error
    at.button[0].click().run()
    assert [s.value for s in at.success][0].startswith("已导入 mine.xlsx")
    store = Store.open(db)
    assert current_tasks(store) == [("办公室", "页面任务")]
    assert store.imports().iloc[0]["user_name"] == OFFICE
    store.close()


def test_the_store_refuses_even_what_the_preview_let_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rights taken away between the preview and the confirm: the import itself refuses."""
    db = database(tmp_path)
    at = signed_in_app(db, monkeypatch, OFFICE, "pages/upload.py")
    at.file_uploader[0].upload("mine.xlsx", tasks_book(["页面任务", "办公室", "", ""]), XLSX).run()
    store = Store.open(db)
    auth.update_user(store, OFFICE, by=ADMIN, departments=["研究室"])
    before = dump(store)
    at.button[0].click().run()
    assert at.error and "办公室" in at.error[0].value and not at.success
    assert dump(store) == before
    store.close()
