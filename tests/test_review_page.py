"""The 月度例会 page through app.py: the figures are review.build's, a freeze holds, presentation, follow-ups."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest

from tests.test_pages import AS_OF, SAMPLES, app, sample, zh  # noqa: F401 - the fixture is used by name
from tests.workbooks import workbook
from wenming.figures import review
from wenming.figures.review import Period
from wenming.render import slides
from wenming.store import Store

PAGE = "pages/review.py"
OCTOBER = Period.parse("2026-10")


def screen(at) -> str:
    """The HTML of the deck (the other st.html element is the presentation's style)."""
    return next(h.proto.body for h in at.get("html") if 'class="deck"' in h.proto.body)


def on_show(at) -> tuple[int, int]:
    """The deck's screen on show and its number of screens, as the page wrote them."""
    found = re.search(r'class="deck" data-start="(\d+)" data-count="(\d+)"', screen(at))
    assert found is not None
    return int(found[1]), int(found[2])


@pytest.fixture
def own_sample(tmp_path: Path) -> Path:
    """The samples in a database of the test's own, for tests that write."""
    path = tmp_path / "own.duckdb"
    store = Store.open(path)
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    store.close()
    return path


def test_the_page_shows_the_reviews_figures(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    at = app(sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-10")
    expected = review.build(sample.query, OCTOBER, AS_OF)
    shown = {m.label: m.value for m in at.metric}
    assert shown["任务完成率"] == f"{expected.figure('completion_rate'):.1%}"
    assert shown["逾期任务"] == f"{expected.figure('overdue'):,.0f}"
    assert shown["未销号问题"] == f"{expected.figure('issues_open'):,.0f}"
    assert at.info[0].value == expected.summary()
    assert len(at.get("download_button")) == 3
    assert at.selectbox[0].value == "2026-10"


def test_a_long_review_list_shows_its_first_rows(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The review's named overdue tasks (8,698 at 100k tasks) are cut like every list on screen; the
    report and the Excel keep them all."""
    monkeypatch.setattr(importlib.import_module("wenming.web.page"), "MAX_ROWS", 3)
    at = app(sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-10")
    named = review.build(sample.query, OCTOBER, AS_OF).overdue_tasks
    assert len(named) > 3
    lengths = [len(frame.value) for frame in at.dataframe]
    assert max(lengths) == 3 and lengths.count(3) >= 1
    capped = zh("table.capped", shown="3", total=f"{len(named):,}")
    assert capped in [c.value for c in at.caption]


def test_a_quarter_can_be_reviewed(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    at = app(sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-Q3")
    expected = review.build(sample.query, Period.parse("2026-Q3"), AS_OF)
    assert at.info[0].value == expected.summary() and expected.as_of == dt.date(2026, 9, 30)


def test_a_frozen_review_holds_after_a_new_import(own_sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(own_sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-10")
    at.text_input(key="review_user").input("王秘书").run()
    next(b for b in at.button if b.label == "定稿").click().run()
    assert "由 王秘书 定稿" in at.info[0].value
    frozen_summary = at.info[1].value

    store = Store.open(own_sample)
    extra = workbook(
        ("任务", [["截至2026年10月31日"], ["工作任务", "牵头部门", "完成时限"], ["新任务", "团委", "2026-10-10"]])
    )
    store.import_file(extra, "late.xlsx", user="t")
    store.close()

    at.run()
    assert at.info[1].value == frozen_summary  # the figures as presented
    assert any("定稿后有 1 次导入" in e.label for e in at.expander)
    assert "定稿" not in [b.label for b in at.button]


def test_presentation_mode_is_the_whole_deck_and_a_leave_button(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    at = app(sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-10", present="1", screen="2")
    assert [b.label for b in at.main.button] == ["退出演示"]  # moving between screens is the browser's work
    assert not at.main.selectbox and not at.main.text_input and not at.main.get("download_button")
    expected = review.build(sample.query, OCTOBER, AS_OF)
    deck = screen(at)
    titles = re.findall(r'<section class="screen[^"]*" data-screen="\d+"[^>]*><h1>([^<]+)</h1>', deck)
    assert titles == [s.title for s in slides.screens(expected)]  # every screen, in order, drawn once
    assert on_show(at) == (2, len(titles)) and '<section class="screen current" data-screen="2"' in deck
    assert f"{expected.figure('completion_rate'):.1%}" in deck and expected.summary() in deck  # the page's figures
    at.main.button[0].click().run()
    assert "present" not in at.query_params and "screen" not in at.query_params


def test_department_by_department_screens(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    plain = app(sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-10", present="1", screen="99")
    by_department = app(
        sample,
        monkeypatch,
        PAGE,
        as_of=AS_OF.isoformat(),
        period="2026-10",
        present="1",
        screen="99",
        by_department="1",
    )
    (last, count), (last_by, count_by) = on_show(plain), on_show(by_department)
    assert count_by > count and (last, last_by) == (count, count_by)  # screen=99: the last screen
    assert "部门情况：" in screen(by_department) and "部门情况：" not in screen(plain)


def test_a_follow_up_goes_into_the_ledger(own_sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date.today()  # a follow-up is logged on the day of the meeting
    store = Store.open(own_sample)
    before = store.query("issues_summary", as_of=today, snapshot=None, departments=None).iloc[0]
    store.close()
    at = app(own_sample, monkeypatch, PAGE, as_of=AS_OF.isoformat(), period="2026-10")
    at.text_input(key="review_user").input("王秘书").run()
    form = at.main
    form.text_input[1].input("补报十月志愿服务照片")
    form.selectbox[-1].set_value("团委")
    form.date_input[-1].set_value(dt.date(2026, 11, 30))
    next(b for b in at.button if b.label == "记入问题整改台账").click().run()
    assert not at.exception, [e.value for e in at.exception]

    store = Store.open(own_sample)
    after = store.query("issues_summary", as_of=today, snapshot=None, departments=None).iloc[0]
    ledger = store.query("issues_list", as_of=today, snapshot=None, departments=["团委"])
    store.close()
    assert after.total == before.total + 1 and after.open == before.open + 1
    assert "补报十月志愿服务照片" in ledger["problem"].tolist()


def test_with_users_only_admins_freeze_and_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.access import ADMIN, LEADER, database, signed_in_app

    db = database(tmp_path)
    leader = signed_in_app(db, monkeypatch, LEADER, PAGE)
    assert "定稿" not in [b.label for b in leader.button]
    assert any("由创建办（管理员）记录" in c.value for c in leader.caption)
    assert not [ti for ti in leader.text_input if ti.key == "review_user"]
    admin = signed_in_app(db, monkeypatch, ADMIN, PAGE)
    next(b for b in admin.button if b.label == "定稿").click().run()
    assert f"由 {ADMIN} 定稿" in admin.info[0].value
