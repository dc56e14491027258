"""Status edits in place (docs/RULES.md §8): saved as an import, rights checked by the store, restorable.

test_queries' tiny workbook as of 2025-10-31: T2 (办公室, row 3) is 推进中 and 16 days overdue;
办公室 has T1 done, T2, T3; the ledger's P2 (办公室, row 3) is open.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import dump
from tests.test_queries import ISSUES, SCORES, TASKS
from tests.workbooks import workbook
from wenming.cli import main
from wenming.figures import summary, trend
from wenming.read.guard import Refused
from wenming.store import Store, auth
from wenming.store.updates import Edit, changes, save
from wenming.text import t

AS_OF = dt.date(2025, 10, 31)


@pytest.fixture
def loaded(store: Store) -> Store:
    store.import_file(
        workbook(("任务", TASKS), ("测评", SCORES), ("问题", ISSUES)), "tiny.xlsx", user="test", as_of=AS_OF
    )
    return store


def tasks(store: Store, departments: list[str] | None = None, snapshot: dt.date | None = None) -> dict:
    return store.query("tasks_summary", as_of=AS_OF, snapshot=snapshot, departments=departments).iloc[0].to_dict()


def test_an_edit_is_an_import_the_figures_follow(loaded: Store) -> None:
    before, others = tasks(loaded, ["办公室"]), tasks(loaded, ["研究室", "法工委"])
    assert (before["done"], before["overdue"]) == (1, 1)
    version = loaded.version()
    done_on = dt.date(2025, 10, 20)
    import_id = save(loaded, [Edit("tasks", "办公室", 3, {"status": "done", "done_on": done_on})], user="张伟")
    assert import_id is not None and loaded.version() == version + 1
    after = tasks(loaded, ["办公室"])
    assert (after["done"], after["overdue"]) == (2, 0)
    assert tasks(loaded, ["研究室", "法工委"]) == others  # other departments untouched
    assert summary.build(loaded, AS_OF)["tasks"]["done"] == 3  # T1, T7 and now T2
    # the month-end figures: the edit's load keeps the tracker's date, so October's end sees it
    assert tasks(loaded, ["办公室"], snapshot=AS_OF)["done"] == 2
    assert trend.series(loaded.query, "tasks_summary", AS_OF, ["办公室"], 2)["done"].tolist()[-1] == 2
    entry = loaded.imports().iloc[0]
    assert (entry["import_id"], entry["action"], entry["user_name"]) == (import_id, "update", "张伟")
    assert entry["file_name"] == t("update.file", "zh", departments="办公室", count=3)
    rows = changes(loaded, import_id)
    assert rows[["label", "field", "old", "new"]].fillna("—").values.tolist() == [
        ["T2", "status", "in_progress", "done"],
        ["T2", "done_on", "—", "2025-10-20"],
        ["T2", "progress", "—", "100%"],
    ]
    edited = loaded.query("tasks_list", as_of=AS_OF, snapshot=None, departments=["办公室"])
    row = edited[edited["task"] == "T2"].iloc[0]
    assert row["status_text"] == "已完成" and row["row_no"] == 3 and len(edited) == 3


def test_restoring_the_earlier_import_reverts_the_edit(loaded: Store) -> None:
    save(loaded, [Edit("tasks", "办公室", 3, {"status": "done"})], user="张伟")
    assert tasks(loaded, ["办公室"])["done"] == 2
    loaded.restore(1, user="管理员", kind="tasks", department="办公室")
    assert tasks(loaded, ["办公室"])["done"] == 1
    assert [a for a in loaded.imports()["action"]] == ["restore", "update", "import"]


def test_a_ledger_problem_is_struck_off(loaded: Store) -> None:
    open_before = loaded.query("issues_summary", as_of=AS_OF, snapshot=None, departments=["办公室"]).iloc[0]["open"]
    save(loaded, [Edit("issues", "办公室", 3, {"status": "closed", "closed_on": AS_OF})], user="u")
    after = loaded.query("issues_summary", as_of=AS_OF, snapshot=None, departments=["办公室"]).iloc[0]["open"]
    assert after == open_before - 1


def test_nothing_changed_saves_nothing(loaded: Store) -> None:
    before = dump(loaded)
    assert save(loaded, [Edit("tasks", "办公室", 3, {"status": "in_progress"})], user="u") is None
    assert dump(loaded) == before


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (Edit("tasks", "办公室", 99, {"status": "done"}), "update_row"),
        (Edit("tasks", "办公室", 3, {"status": "finished"}), "update_value"),
        (Edit("tasks", "办公室", 3, {"progress": 1.5}), "update_value"),
        (Edit("tasks", "办公室", 3, {"task": "renamed"}), "update_field"),
        (Edit("tasks", "宣传部", 3, {"status": "done"}), "update_department"),
    ],
)
def test_bad_edits_are_refused_whole(loaded: Store, edit: Edit, code: str) -> None:
    before = dump(loaded)
    good = Edit("tasks", "办公室", 2, {"note": "ok"})
    with pytest.raises(Refused) as refused:
        save(loaded, [good, edit], user="u")
    assert refused.value.code == code
    assert dump(loaded) == before


def test_rights_are_checked_by_the_store(loaded: Store) -> None:
    auth.add_user(loaded, "管理员", "admin", password="correct horse")
    auth.add_user(loaded, "张伟", "staff", ["办公室"], password="correct horse")
    auth.add_user(loaded, "王局", "leader", password="correct horse")
    before = dump(loaded)
    with pytest.raises(auth.Forbidden) as other:
        save(loaded, [Edit("tasks", "研究室", 5, {"status": "done"})], user="张伟")
    assert other.value.message("zh") == t(
        "refused.sentence",
        "zh",
        file=t("update.subject", "zh"),
        reason=t("refused.forbidden_departments", "zh", user="张伟", allowed="办公室", denied="研究室"),
    )
    with pytest.raises(auth.Forbidden):
        save(loaded, [Edit("tasks", "办公室", 3, {"status": "done"})], user="王局")
    assert dump(loaded) == before
    assert save(loaded, [Edit("tasks", "办公室", 3, {"status": "done"})], user="张伟") is not None


def test_command_line_update(loaded: Store, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(loaded.path)
    loaded.close()
    args = ["update", "--db", path, "--department", "办公室", "--task-row", "3"]
    assert main([*args, "--status", "已完成", "--done-on", "2025-10-20", "--user", "张伟"]) == 0
    out = capsys.readouterr().out
    assert "T2（任务!3）" in out and "in_progress → done" in out
    assert main([*args, "--status", "差不多"]) == 2
    assert "差不多" in capsys.readouterr().err
    assert main(["update", "--db", path, "--department", "办公室", "--issue-row", "3", "--status", "已销号"]) == 0
    capsys.readouterr()
    assert main(["summary", "--db", path, "--as-of", AS_OF.isoformat(), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["tasks"]["by_department"]["办公室"]["done"] == 2
    assert figures["issues"]["by_department"]["办公室"]["closed"] == 2
    reopened = Store.open(path)
    try:
        assert tasks(reopened, ["办公室"])["done"] == 2
        assert list(reopened.imports()["action"][:2]) == ["update", "update"]
    finally:
        reopened.close()


def test_the_page_editor_sends_only_changed_cells(loaded: Store) -> None:
    from wenming.web.edits import differences

    before = loaded.query("edit_tasks", departments=["办公室"])
    after = before.copy()
    after.loc[after["task"] == "T2", "status"] = "done"
    after.loc[after["task"] == "T3", "note"] = "已部署"
    edits = differences("tasks", "办公室", before, after)
    assert [(e.row_no, e.values, e.sheet) for e in edits] == [
        (3, {"status": "done"}, "任务"),
        (4, {"note": "已部署"}, "任务"),
    ]
    assert differences("tasks", "办公室", before, before.copy()) == []


def test_the_editor_is_offered_to_those_who_may_import(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_pages import app, tiny

    db = tiny(tmp_path, ("任务", TASKS), ("问题", ISSUES))
    at = app(db, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    at.toggle(key="edit_tasks_open").set_value(True).run()
    assert at.selectbox(key="edit_tasks_department").value == "办公室"  # the organisation's first department
    shown = at.dataframe(key="edit_tasks_办公室").value
    assert shown["row_no"].tolist() == [2, 3, 4] and shown["status"].tolist() == ["done", "in_progress", "not_started"]
    download = [b for b in at.get("download_button") if b.proto.label == t("edit.download_tracker", "zh")]
    assert len(download) == 1  # the department's tracker for Excel (tests/test_roundtrip.py)
    at = app(db, monkeypatch, "pages/overdue.py", as_of=AS_OF.isoformat())
    at.toggle(key="edit_issues_open").set_value(True).run()
    assert at.dataframe(key="edit_issues_办公室").value["row_no"].tolist() == [2, 3]


def test_a_large_department_is_edited_a_page_at_a_time(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past EDIT_ROWS rows the editor shows one page (1,000 rows; 2 here) and says how many; each page
    is an editor of its own, and the page's changes compare only its rows."""
    from tests.test_pages import app, tiny
    from wenming.web import edits

    monkeypatch.setattr(edits, "EDIT_ROWS", 2)
    db = tiny(tmp_path, ("任务", TASKS))
    at = app(db, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    at.toggle(key="edit_tasks_open").set_value(True).run()
    assert at.dataframe(key="edit_tasks_办公室_1").value["row_no"].tolist() == [2, 3]
    pager = at.number_input(key="edit_tasks_办公室_page")
    assert pager.label == t("edit.page", "zh", rows="3", pages=2, size="2")
    pager.set_value(2).run()
    assert at.dataframe(key="edit_tasks_办公室_2").value["row_no"].tolist() == [4]
