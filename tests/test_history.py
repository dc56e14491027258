"""The import history and admin pages, and the provenance caption of every page."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.access import (
    ADMIN,
    AS_OF,
    LEADER,
    MIXED_BOOK,
    OFFICE,
    OFFICE_BOOK,
    app,
    database,
    signed_in_app,
    tasks_book,
)
from tests.workbooks import workbook
from wenming.store import Store, auth
from wenming.text import t


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


def source_caption(at) -> str:
    (caption,) = [c for c in at.caption if c.value.startswith(zh("page.source"))]
    return caption.value


def day(store: Store, import_id: int) -> str:
    at = pd.Timestamp(store.imports().set_index("import_id").loc[import_id, "imported_at"])
    return zh("page.source_when", month=at.month, day=at.day)


# ---------------------------------------------------------------- provenance


def test_one_file_names_the_file_user_and_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(database(tmp_path, users=False), monkeypatch, as_of=AS_OF.isoformat())
    store = Store.open(tmp_path / "access.duckdb")
    when = pd.Timestamp(store.imports().iloc[0]["imported_at"]).strftime("%Y-%m-%d %H:%M")
    store.close()
    item = zh("page.source_item", file="office.xlsx", user="test", when=when, as_of=AS_OF.isoformat())
    assert source_caption(at) == zh("page.source") + f"{zh('kind.tasks')} ← {item}"


def test_department_trackers_name_the_import_of_each_department(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = database(tmp_path, users=False)
    store = Store.open(db)
    store.import_file(tasks_book(["研究任务", "研究室", "", ""]), "research.xlsx", user="李娜", as_of=AS_OF)
    store.import_file(tasks_book(["法工任务", "法工委", "", ""]), "law.xlsx", user="赵六", as_of=AS_OF)
    store.restore(1, user="管理员", department="办公室")
    days = {i: day(store, i) for i in (2, 3, 4)}
    store.close()
    at = app(db, monkeypatch, as_of=AS_OF.isoformat())
    parts = [
        zh("page.source_dept", departments="办公室", when=days[4], user="管理员", action="恢复"),
        zh("page.source_dept", departments="法工委", when=days[3], user="赵六", action="上传"),
        zh("page.source_dept", departments="研究室", when=days[2], user="李娜", action="上传"),
    ]
    assert source_caption(at) == zh("page.source") + f"{zh('kind.tasks')} ← " + "、".join(parts)
    assert parts[0] == f"办公室 {days[4]} 管理员 恢复"  # the form the issue asks for


def test_many_imports_are_summed_up_with_the_rest_in_the_tooltip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = database(tmp_path, users=False)
    store = Store.open(db)
    for n in range(5):
        store.import_file(tasks_book([f"任务{n}", f"部门{n}", "", ""]), f"d{n}.xlsx", user=f"人{n}", as_of=AS_OF)
    store.close()
    at = app(db, monkeypatch, as_of=AS_OF.isoformat())
    caption = [c for c in at.caption if c.value.startswith(zh("page.source"))][0]
    assert caption.value.endswith(zh("page.source_dept_more", count=2))  # 6 imports, 4 shown
    assert caption.value.count(zh("page.source_action.import")) == 4
    assert all(f"人{n}" in caption.proto.help for n in range(5)) and "test" in caption.proto.help


# ---------------------------------------------------------------- the history page


def test_admin_sees_every_import_and_restores_one_department(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    store = Store.open(db)
    store.import_file(tasks_book(["办公室第二版", "办公室", "", ""]), "v2.xlsx", user=OFFICE, as_of=AS_OF)
    store.close()
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/history.py")
    log = at.dataframe[1].value  # after each department's last update
    assert log["import_id"].tolist() == [2, 1]
    assert log["user_name"].tolist() == [OFFICE, ADMIN]
    assert log["sha256"].str.len().tolist() == [64, 64]
    assert log["sheets"].tolist() == ["任务分解（任务分解）"] * 2
    assert log["rows"].tolist() == ["任务分解 1 行", "任务分解 2 行"]
    assert [b.label for b in at.get("download_button")] == [zh("history.download")]

    at.selectbox(key="history_pick").set_value(1).run()
    at.selectbox(key="history_department_1").set_value("办公室").run()
    at.button(key="history_restore_1").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [zh("history.restored", source=1, import_id=3, rows="任务分解 2 行")]
    store = Store.open(db)
    tasks = sorted(store.con.execute("select task from tasks_at(null)").fetchall())
    assert tasks == [("办公室任务一",), ("办公室任务二",)]
    entry = store.imports().iloc[0]
    assert (entry["action"], entry["restored_from"], entry["user_name"]) == ("restore", 1, ADMIN)
    assert auth.audit_log(store).iloc[0]["action"] == "restore"
    store.close()


def test_others_see_the_history_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in_app(database(tmp_path), monkeypatch, LEADER, "pages/history.py")
    assert at.dataframe[1].value["file_name"].tolist() == ["office.xlsx"]
    assert not at.get("download_button") and not at.main.button
    assert zh("history.read_only") in [c.value for c in at.caption]


def test_the_archived_original_is_the_file_imported(tmp_path: Path) -> None:
    store = Store.open(database(tmp_path))
    file_name, path = store.original(1)
    assert file_name == "office.xlsx" and path.read_bytes() == OFFICE_BOOK
    assert path.name == f"{store.imports().iloc[0]['sha256']}.xlsx"
    store.close()


# ---------------------------------------------------------------- the admin page


def test_admin_adds_a_user_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/admin.py")
    users = at.dataframe[0].value
    assert users["account"].tolist() == [ADMIN, OFFICE, "李娜", LEADER]  # headed 用户名, not 导入人
    sign_ins = [df.value for df in at.dataframe if "outcome" in df.value.columns][0]
    assert sign_ins[["account", "success", "outcome", "via"]].values.tolist() == [[ADMIN, True, "成功", "密码"]]
    form = at.main.text_input
    form[0].input("新同事")
    at.main.selectbox[0].set_value("staff")
    at.main.multiselect[0].set_value(["办公室"])
    form[2].input("new-person-1")
    at.main.button[0].click().run()
    assert [s.value for s in at.success] == [zh("admin.added", name="新同事", role=zh("role.staff"))]
    store = Store.open(db)
    assert auth.sign_in(store, "新同事", "new-person-1").user == auth.User("新同事", "staff", ("办公室",))
    assert auth.audit_log(store).iloc[0][["user_name", "action"]].tolist() == [ADMIN, "user_add"]
    store.close()
    audit = [df.value for df in at.dataframe if "sentence" in df.value.columns][0]
    assert audit[["operator", "sentence"]].values.tolist()[0] == [ADMIN, "添加用户 新同事（填报人员，部门：办公室）"]


def test_admin_sets_an_alias_and_sees_unknown_department_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    store = Store.open(db)
    store.import_file(MIXED_BOOK, "mixed.xlsx", user=ADMIN, as_of=AS_OF)
    headcount = [["部门", "在职人数"], ["办公室", 10], ["研究室", 8]]
    store.import_file(workbook(("人数", headcount)), "people.xlsx", user=ADMIN, as_of=AS_OF)
    store.close()
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/admin.py")
    unknown = [df.value for df in at.dataframe if "row_count" in df.value.columns][0]
    assert unknown[["department", "row_count"]].values.tolist() == [["法工委", 1]]

    alias_form = [x for x in at.main.text_input if x.label in (zh("admin.alias"), zh("admin.alias_target"))]
    alias_form[0].input("法工")
    alias_form[1].input("法工委")
    [b for b in at.main.button if b.label == zh("admin.alias_add")][0].click().run()
    assert [s.value for s in at.success] == [zh("admin.alias_saved", alias="法工", department="法工委")]
    unknown = [df.value for df in at.dataframe if "row_count" in df.value.columns]
    assert not unknown  # 法工委 is now an alias's target: known
    store = Store.open(db)
    assert store.aliases() == {"法工": "法工委"}
    assert json.loads(auth.audit_log(store).iloc[0]["detail"]) == {"alias": "法工", "department": "法工委"}
    store.close()


def test_admin_sets_target_lines_drawn_on_the_overview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(tmp_path)
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/admin.py")
    at.number_input(key="admin_target_completion").set_value(90.0)
    at.number_input(key="admin_target_attainment").set_value(95.0)
    next(b for b in at.button if b.label == t("admin.targets_save")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("admin.targets_saved") in [s.value for s in at.success]
    store = Store.open(db)
    assert store.targets() == {"completion": 0.9, "attainment": 0.95}
    store.close()
    at.switch_page("pages/overview.py").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [(s["x0"], s["line"]["dash"]) for s in spec["layout"]["shapes"]] == [(0.9, "dash")]
