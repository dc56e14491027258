"""AppTests of issue 11: the score figures of §7 on 测评得分 and 总览 (a triggered veto first), the
mapping of a header and a value on the import page, and the words on 用户与设置."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import XLSX, app, metrics, zh
from tests.test_words import TRACKER
from tests.trackers import AS_OF, score_sheet, task_tracker
from wenming.store import Store, words


@pytest.fixture
def scored(tmp_path: Path) -> Path:
    """The 自评表 and 督办台账 of tests/trackers.py."""
    path = tmp_path / "scores.duckdb"
    store = Store.open(path)
    store.import_file(score_sheet(), "自评表.xlsx", user="test", as_of=AS_OF)
    store.import_file(task_tracker(), "督办台账.xlsx", user="test", as_of=AS_OF)
    store.close()
    return path


def veto_comes_first(at: AppTest) -> bool:
    """The red veto line is on the page before any figure (the walk is in the page's order)."""
    kinds = [node.type for node in at.main]
    return "error" in kinds and kinds.index("error") < kinds.index("metric")


def test_scores_page_shows_a_triggered_veto_first_and_deductions(scored: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(scored, monkeypatch, "pages/scores.py", as_of=AS_OF.isoformat())
    assert [e.value for e in at.error] == [zh("veto.triggered", count=1, items="发生重大安全责任事故")]
    assert veto_comes_first(at)
    shown = metrics(at)
    assert shown[zh("scores.score")] == "16 + 3"
    assert shown[zh("label.attainment")] == "66.7%"
    assert shown[zh("scores.deductions_total")] == "-3"
    assert shown[zh("scores.total")] == "16"
    assert shown[zh("scores.not_applicable")] == "1"
    deductions = next(d.value for d in at.dataframe if "points" in d.value.columns)
    assert deductions[["item", "points"]].values.tolist() == [
        ["发生不文明行为被媒体曝光", -2],
        ["未按时报送创建材料", -1],
        ["信访事项", 0],
    ]
    vetoes = next(d.value for d in at.dataframe if "triggered" in d.value.columns)
    assert vetoes[["item", "triggered"]].values.tolist() == [
        ["发生重大安全责任事故", True],
        ["发生严重违纪违法案件", False],
    ]
    items = at.dataframe[0].value
    assert "窗口单位文明服务" not in set(items["item"])  # not applicable: never points lost


def test_overview_shows_a_triggered_veto_first(scored: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(scored, monkeypatch, "pages/overview.py", as_of=AS_OF.isoformat())
    assert [e.value for e in at.error] == [zh("veto.triggered", count=1, items="发生重大安全责任事故")]
    assert veto_comes_first(at)


def test_upload_maps_a_header_and_a_value_then_previews_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "upload.duckdb"
    at = app(db, monkeypatch, "pages/upload.py")
    at.text_input(key="upload_user").input("张三").run()
    at.file_uploader[0].upload("督办台账.xlsx", TRACKER, XLSX).run()
    (refused,) = [e.value for e in at.error]
    assert "牵头股" in refused and "牵头部门" in refused
    header_form = at.selectbox[0]
    assert header_form.options == ["牵头股"]
    assert at.selectbox[1].value == "department"  # the missing role is offered first
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [zh("words.added", word="牵头股", meaning="department")]
    sheets = at.dataframe[0].value
    assert sheets[["sheet", "rows"]].values.tolist() == [["任务", 2]]
    headers = at.dataframe[1].value
    assert headers[["header", "role"]].values.tolist() == [
        ["工作任务", zh("colrole.task")],
        ["牵头股", zh("colrole.department")],
        ["落实情况", zh("colrole.status")],
        ["办结时限", zh("colrole.deadline")],
    ]
    warnings = at.dataframe[2].value
    assert warnings[["cell", "count"]].values.tolist() == [["任务!C2", 1]]
    value_box = next(s for s in at.selectbox if s.label == zh("words.value"))
    assert value_box.options == ["按计划推进"]
    next(s for s in at.selectbox if s.label == zh("words.meaning")).set_value("in_progress")
    next(b for b in at.button if b.label == zh("words.map_value")).click().run()
    assert not at.exception
    assert [e.label for e in at.expander] == [zh("upload.headers")]  # no warning left, nothing to map
    next(b for b in at.button if b.label == zh("upload.confirm", count=1)).click().run()
    store = Store.open(db)
    assert store.con.execute("select department, status from tasks order by row_no").fetchall() == [
        ("办公室", "in_progress"),
        ("团委", "done"),
    ]
    assert words.listing(store)["created_by"].tolist() == ["张三", "张三"]
    store.close()


def test_admin_page_lists_and_removes_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "admin.duckdb"
    store = Store.open(db)
    words.add(store, "header", "牵头股", "department", by="张三")
    store.close()
    at = app(db, monkeypatch, "pages/admin.py")
    listed = next(d.value for d in at.dataframe if "word" in d.value.columns)
    assert listed[["kind_label", "word", "meaning", "created_by"]].values.tolist() == [
        [zh("words.kind.header"), "牵头股", "department", "张三"]
    ]
    next(b for b in at.button if b.label == zh("words.remove")).click().run()
    assert [s.value for s in at.success] == [zh("words.removed", word="牵头股")]
    store = Store.open(db)
    assert words.listing(store).empty
    store.close()


def test_tasks_page_groups_by_leader(scored: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(scored, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    assert zh("tasks.by_leader") in [s.value for s in at.subheader]
    leaders = next(d.value for d in at.dataframe if "leader" in d.value.columns)
    assert leaders.set_index("leader")[["total", "done", "overdue"]].to_dict("index") == {
        "张副局长": {"total": 4, "done": 3, "overdue": 1},
        "王副局长": {"total": 4, "done": 2, "overdue": 0},
        "李副局长": {"total": 4, "done": 0, "overdue": 2},
    }


def test_review_page_shows_a_triggered_veto_first(scored: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(scored, monkeypatch, "pages/review.py", as_of=AS_OF.isoformat())
    assert [e.value for e in at.error] == [zh("veto.triggered", count=1, items="发生重大安全责任事故")]
    kinds = [node.type for node in at.main]
    assert kinds.index("error") < kinds.index("selectbox")
