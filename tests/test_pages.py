"""Every page through app.py with AppTest: the figures, tables and chart data a user sees.

Expected numbers come from wenming.figures.summary / Store.query on the same database, or are
worked out by hand on a tiny workbook built here; never copied from a run.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import dump
from tests.test_queries import ISSUES, SCORES, SURVEYS, TASKS
from tests.workbooks import workbook
from wenming.figures import summary
from wenming.render import charts
from wenming.store import Store
from wenming.text import t

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
SAMPLES = ROOT / "data" / "sample"
AS_OF = dt.date(2026, 11, 20)  # the sample trackers' 截至 date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def hours(value: float) -> str:
    """Hours as the page shows them: 5,900 and 1,622.5, never 5,900.0."""
    return f"{value:,.1f}".removesuffix(".0")


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled sample trackers, imported once; the app opens the same file."""
    store = Store.open(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    yield store
    store.close()


@pytest.fixture
def figures(sample: Store) -> dict[str, Any]:
    return summary.build(sample, AS_OF)


def tiny(tmp_path: Path, *sheets: tuple[str, list[list[object]]]) -> Path:
    """A database holding one tiny workbook imported as of 2025-10-31 (the figures of test_queries)."""
    path = tmp_path / "tiny.duckdb"
    store = Store.open(path)
    store.import_file(workbook(*sheets), "tiny.xlsx", user="test", as_of=dt.date(2025, 10, 31))
    store.close()
    return path


def app(db: Store | Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, **url: Any) -> AppTest:
    """app.py on ``db`` with the given URL parameters, switched to ``page``; no exception."""
    monkeypatch.setenv("WENMING_DB", str(db.path if isinstance(db, Store) else db))
    monkeypatch.setenv("WENMING_SAMPLES", "0")
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in url.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------- reading what a user sees


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# Where each table is on its page (st.dataframe exposes no key to AppTest unless selectable).
TABLES = {
    "overview_overdue": 0,
    "tasks_table": 0,
    "overdue_ranking": 0,
    "overdue_tasks": 1,
    "overdue_soon": 2,
    "overdue_ledger_table": -1,
    "scores_items": 0,
    "scores_risk": 1,
    "scores_unscored": -1,
    "part_departments": 0,
    "part_surveys_table": 1,
    "upload_history": -1,
}


def table(at: AppTest, name: str) -> pd.DataFrame:
    return at.dataframe[TABLES[name]].value


def _decoded(value: Any) -> Any:
    """Plotly's typed arrays ({"dtype": "f8", "bdata": base64}) as lists."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    return value


def chart(at: AppTest, title_key: str, **params: object) -> list[dict[str, Any]]:
    """The traces of the chart titled t(title_key), typed arrays decoded."""
    title, _ = charts.split_title(zh(title_key, **params))  # a bracketed remark is the subtitle
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    found = [s for s in specs if (s["layout"].get("title") or {}).get("text") == title]
    assert len(found) == 1, f"one chart titled {title!r}"
    return [{k: _decoded(v) for k, v in trace.items()} for trace in found[0]["data"]]


def pct(value: float) -> str:
    return f"{value:.1%}"


def assert_empty_state(at: AppTest, kind: str) -> None:
    """One info box naming what to upload; no figures, tables or charts."""
    assert [i.value for i in at.info] == [zh("empty.hint", kind=zh(f"kind.{kind}"))]
    assert "数据导入" in at.info[0].value
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


# ---------------------------------------------------------------- 总览


def test_overview_headlines_are_the_summary(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, as_of=AS_OF.isoformat())
    assert [x.value for x in at.title] == ["总览"]
    shown = metrics(at)
    assert shown == {
        "任务完成率": pct(figures["tasks"]["completion_rate"]),
        "逾期任务": str(figures["tasks"]["overdue"]),
        "测评得分率": pct(figures["scores"]["attainment"]),
        "未销号问题": str(figures["issues"]["open"]),
        "参与人次": f"{figures['participation']['person_times']:,}",
        "佐证材料齐全率": pct(figures["evidence"]["coverage"]),  # issue 16: a sixth card
    }
    # the change since the end of October, from the snapshot in force then
    then = {"as_of": dt.date(2026, 10, 31), "snapshot": dt.date(2026, 10, 31), "departments": None}
    before = sample.query("tasks_summary", **then).iloc[0]
    opened = sample.query("issues_summary", **then).iloc[0].open
    deltas = {m.label: m.delta for m in at.metric}
    rise = (figures["tasks"]["completion_rate"] - before.completion_rate) * 100
    assert deltas["任务完成率"] == f"较上月末 {rise:+.1f} 个百分点"
    assert deltas["未销号问题"] == f"较上月末 {figures['issues']['open'] - opened:+.0f}"


def test_overview_completion_chart_trend_and_most_overdue(
    sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(sample, monkeypatch, as_of=AS_OF.isoformat())
    (bars,) = chart(at, "chart.completion_by_department")
    by_department = figures["tasks"]["by_department"]
    assert sorted(bars["customdata"]) == sorted(by_department)
    assert dict(zip(bars["y"], bars["x"], strict=True)) == pytest.approx(
        {d: r["completion_rate"] for d, r in by_department.items()}
    )
    assert bars["x"] == sorted(bars["x"])  # the best at the top of a horizontal chart
    (line,) = chart(at, "chart.completion_trend")
    assert len(line["x"]) == 12 and line["x"][-1] == "11-20" and line["x"][-2] == "2026-10"
    assert line["y"][-1] == pytest.approx(figures["tasks"]["completion_rate"])
    overdue = sample.query("tasks_overdue", as_of=AS_OF, snapshot=None, departments=None)
    shown = table(at, "overview_overdue")
    assert shown["task"].tolist() == overdue["task"].head(5).tolist()
    assert shown["days_overdue"].tolist() == overdue["days_overdue"].head(5).tolist()


def test_overview_follows_a_bookmarked_url(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, as_of="2026-10-31", dept="工会")
    assert at.sidebar.date_input[0].value == dt.date(2026, 10, 31)
    assert at.sidebar.multiselect[0].value == ["工会"]
    expected = summary.build(sample, dt.date(2026, 10, 31), ["工会"])
    shown = metrics(at)
    assert shown["任务完成率"] == pct(expected["tasks"]["completion_rate"])
    assert shown["逾期任务"] == str(expected["tasks"]["overdue"])
    assert shown["未销号问题"] == str(expected["issues"]["open"])
    assert shown["参与人次"] == f"{expected['participation']['person_times']:,}"
    (bars,) = chart(at, "chart.completion_by_department")
    assert bars["y"] == ["工会"]
    assert set(table(at, "overview_overdue")["department"]) == {"工会"}
    assert zh("page.filtered", departments="工会", as_of="2026-10-31") in [c.value for c in at.caption]


def test_overview_sidebar_filters_change_figures_and_url(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, as_of=AS_OF.isoformat())
    before = metrics(at)
    day, chosen = dt.date(2026, 6, 30), ["五阳煤矿", "安全环保部"]
    at.sidebar.date_input[0].set_value(day)
    at.sidebar.multiselect[0].set_value(chosen)
    at.run()
    assert not at.exception
    expected = summary.build(sample, day, chosen)
    after = metrics(at)
    assert after != before
    assert after["任务完成率"] == pct(expected["tasks"]["completion_rate"])
    assert after["逾期任务"] == str(expected["tasks"]["overdue"])
    assert after["参与人次"] == f"{expected['participation']['person_times']:,}"
    (bars,) = chart(at, "chart.completion_by_department")
    assert sorted(bars["y"]) == sorted(chosen)
    assert at.query_params["as_of"] == "2026-06-30"
    assert sorted(at.query_params["dept"]) == sorted(chosen)


def test_language_switch(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, as_of=AS_OF.isoformat())
    at.sidebar.segmented_control[0].set_value("en").run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Overview"]
    assert "Task completion" in metrics(at)
    assert at.query_params["lang"] == "en"
    at.switch_page("pages/scores.py").run()
    assert [x.value for x in at.title] == ["Scores"] and "Full points" in metrics(at)


def test_overview_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(tmp_path / "empty.duckdb", monkeypatch)
    assert [x.value for x in at.title] == ["总览"]
    assert_empty_state(at, "tasks")


# ---------------------------------------------------------------- 任务推进


def test_tasks_page_on_the_sample(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    total = figures["tasks"]["total"]
    assert zh("tasks.count", shown=total, total=total) in [c.value for c in at.caption]
    tasks = sample.query("tasks_list", as_of=AS_OF, snapshot=None, departments=None)
    shown = table(at, "tasks_table")
    assert len(shown) == 50 < total  # the first page (issue 14): tests/test_tasks_list.py pages through the rest
    assert list(zip(shown["task"], shown["department"], strict=True)) == list(
        zip(tasks["task"][:50], tasks["department"][:50], strict=True)
    )
    assert not {"sheet", "row_no", "sha256"} & set(shown.columns)  # where a row came from: downloads, 导入记录
    by_department = sample.query("tasks_by_department", as_of=AS_OF, snapshot=None, departments=None)
    traces = {
        trace["name"]: dict(zip(trace["y"], trace["x"], strict=True))
        for trace in chart(at, "chart.status_by_department")
    }
    for state in ("done", "in_progress", "not_started", "ongoing"):
        assert traces[zh(f"state.{state}")] == dict(zip(by_department["department"], by_department[state], strict=True))
    by_category = sample.query("tasks_by_category", as_of=AS_OF, snapshot=None, departments=None)
    done = next(tr for tr in chart(at, "chart.status_by_category") if tr["name"] == "已完成")
    assert dict(zip(done["y"], done["x"], strict=True)) == dict(
        zip(by_category["category"], by_category["done"], strict=True)
    )
    on_time, late = chart(at, "chart.roadmap")  # months with an overdue task are a layer of their own
    due = sample.query("tasks_roadmap", as_of=AS_OF, snapshot=None, departments=None)["due"].sum()
    cells = [np.nansum(np.array(layer["z"], dtype=float)) for layer in (on_time, late)]
    assert sum(cells) == due and cells[1] > 0


def test_tasks_department_and_date_filters(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    at.sidebar.multiselect[0].set_value(["工会"]).run()
    shown = table(at, "tasks_table")
    assert set(shown["department"]) == {"工会"} and len(shown) == figures["tasks"]["by_department"]["工会"]["total"]
    assert [tr["y"] for tr in chart(at, "chart.status_by_department")] == [["工会"]] * 4
    day = dt.date(2026, 3, 31)
    at.sidebar.date_input[0].set_value(day).run()
    expected = sample.query("tasks_list", as_of=day, snapshot=None, departments=["工会"])
    shown = table(at, "tasks_table")
    assert sorted(shown["days_overdue"].dropna()) == sorted(expected["days_overdue"].dropna())
    assert shown["days_overdue"].notna().sum() == summary.build(sample, day, ["工会"])["tasks"]["overdue"]


def test_tasks_state_pills_and_search(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    at.pills(key="tasks_states").set_value(["done"]).run()
    shown = table(at, "tasks_table")
    assert len(shown) == min(50, figures["tasks"]["done"]) and set(shown["state"]) == {"已完成"}  # one page
    total = figures["tasks"]["total"]
    assert zh("tasks.count", shown=figures["tasks"]["done"], total=total) in [c.value for c in at.caption]
    at.pills(key="tasks_states").set_value([]).run()
    at.text_input(key="tasks_search").input("团委 志愿").run()
    tasks = sample.query("tasks_list", as_of=AS_OF, snapshot=None, departments=None)
    text = (
        tasks[["task", "department", "helpers", "category", "item", "owner", "note"]].fillna("").agg(" ".join, axis=1)
    )
    expected = tasks[text.str.contains("团委") & text.str.contains("志愿")]
    shown = table(at, "tasks_table")
    assert 0 < len(shown) < total
    assert sorted(shown["task"]) == sorted(expected["task"])


def test_tasks_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_empty_state(app(tmp_path / "empty.duckdb", monkeypatch, "pages/tasks.py"), "tasks")


# ---------------------------------------------------------------- 逾期督办


def test_a_long_list_shows_its_first_rows_and_says_how_many(
    sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list longer than web.page.MAX_ROWS shows its first rows (the most overdue first) and the total;
    the download holds them all (at 100k tasks, 8,500 overdue rows took the page from 1.2 s to 2.9 s)."""
    monkeypatch.setattr(importlib.import_module("wenming.web.page"), "MAX_ROWS", 4)
    at = app(sample, monkeypatch, "pages/overdue.py", as_of=AS_OF.isoformat())
    overdue = sample.query("tasks_overdue", as_of=AS_OF, snapshot=None, departments=None)
    assert len(overdue) == figures["tasks"]["overdue"] > 4
    assert table(at, "overdue_tasks")["task"].tolist() == overdue["task"].head(4).tolist()
    capped = zh("table.capped", shown="4", total=f"{len(overdue):,}")
    assert capped in [c.value for c in at.caption]


def test_overdue_page_on_the_sample(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/overdue.py", as_of=AS_OF.isoformat())
    tasks, issues = figures["tasks"], figures["issues"]
    assert metrics(at) == {
        "逾期任务": str(tasks["overdue"]),
        "7 日内到期": str(tasks["due_soon"]),
        "未销号问题": str(issues["open"]),
        "超期未整改问题": str(issues["overdue"]),
        "销号率": pct(issues["closing_rate"]),
    }
    params = {"as_of": AS_OF, "snapshot": None, "departments": None}
    ranking = sample.query("overdue_ranking", **params)
    assert table(at, "overdue_ranking")[["rank", "department"]].values.tolist() == (
        ranking[["rank", "department"]].values.tolist()
    )
    overdue = sample.query("tasks_overdue", **params)
    assert table(at, "overdue_tasks")["task"].tolist() == overdue["task"].tolist()
    assert len(overdue) == tasks["overdue"]
    assert table(at, "overdue_soon")["task"].tolist() == sample.query("tasks_due_soon", **params)["task"].tolist()
    assert len(table(at, "overdue_ledger_table")) == issues["total"]
    late = next(tr for tr in chart(at, "chart.overdue_by_department") if tr["name"] == "逾期")
    assert dict(zip(late["y"], late["x"], strict=True)) == {d: tasks["by_department"][d]["overdue"] for d in late["y"]}
    assert set(late["y"]) >= {d for d, r in tasks["by_department"].items() if r["overdue"]}
    aging = sum(sum(tr["x"]) for tr in chart(at, "chart.aging"))
    assert aging == tasks["overdue"]
    ledger = {tr["name"]: sum(tr["x"]) for tr in chart(at, "chart.issues_by_department")}
    assert ledger == {
        "已销号": issues["closed"],
        "整改中": issues["open"] - issues["overdue"],
        "超期未整改": issues["overdue"],
    }


def test_overdue_page_for_one_department(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/overdue.py", as_of=AS_OF.isoformat(), dept="五阳煤矿")
    expected = summary.build(sample, AS_OF, ["五阳煤矿"])
    shown = metrics(at)
    assert shown["逾期任务"] == str(expected["tasks"]["overdue"])
    assert shown["未销号问题"] == str(expected["issues"]["open"])
    assert shown["超期未整改问题"] == str(expected["issues"]["overdue"])
    assert set(table(at, "overdue_ledger_table")["department"]) == {"五阳煤矿"}
    assert len(table(at, "overdue_ledger_table")) == expected["issues"]["total"]


def test_overdue_page_with_tasks_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tiny(tmp_path, ("任务", TASKS))
    at = app(db, monkeypatch, "pages/overdue.py", as_of="2025-10-31")
    # T2, T8, T9 overdue; T3 (due on the day) and T5 (D + 7) due soon; no ledger
    assert metrics(at) == {"逾期任务": "3", "7 日内到期": "2", "未销号问题": "0", "超期未整改问题": "0"}
    assert table(at, "overdue_tasks")["task"].tolist() == ["T8", "T2", "T9"]
    assert table(at, "overdue_tasks")["days_overdue"].tolist() == [273, 16, 1]
    assert [i.value for i in at.info] == [zh("empty.hint", kind="问题整改")]


def test_overdue_page_with_the_ledger_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tiny(tmp_path, ("整改", ISSUES))
    at = app(db, monkeypatch, "pages/overdue.py", as_of="2025-10-31")
    # P1, P4 struck off; P2 past its deadline; P3, P5 open in time
    assert metrics(at) == {
        "逾期任务": "0",
        "7 日内到期": "0",
        "未销号问题": "3",
        "超期未整改问题": "1",
        "销号率": "40.0%",
    }
    ledger = table(at, "overdue_ledger_table")
    assert ledger["problem"].tolist() and sorted(ledger["problem"]) == ["P1", "P2", "P3", "P4", "P5"]
    assert ledger.set_index("problem").loc["P2", "days_overdue"] == 1


def test_overdue_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_empty_state(app(tmp_path / "empty.duckdb", monkeypatch, "pages/overdue.py"), "tasks")


# ---------------------------------------------------------------- 测评得分


def test_scores_page_on_the_sample(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/scores.py", as_of=AS_OF.isoformat())
    scores = figures["scores"]
    at_risk = sample.query("scores_at_risk", as_of=AS_OF, snapshot=None, departments=None)
    assert metrics(at) == {
        "自评得分": f"{scores['score']:g} + {scores['bonus_score']:g}",
        "满分": "100 + 10",  # the sample's evaluation system: 100 base points and 10 bonus
        "得分率": pct(scores["attainment"]),
        "失分": f"{scores['max'] - scores['score']:g}",
        "未评分项": str(scores["unscored"]),
        "风险分值": f"{at_risk['max'].sum():g}",
    }
    (bars,) = chart(at, "chart.attainment_by_category")  # a bar's name is its customdata (the label may wrap)
    expected = {c: r["score"] / r["max"] for c, r in scores["by_category"].items() if r["max"]}
    assert dict(zip(bars["customdata"], bars["x"], strict=True)) == pytest.approx(expected)
    (bars,) = chart(at, "chart.attainment_by_department")
    expected = {d: r["score"] / r["max"] for d, r in scores["by_department"].items() if r["max"]}
    assert dict(zip(bars["customdata"], bars["x"], strict=True)) == pytest.approx(expected)
    items = sample.query("scores_items", as_of=AS_OF, snapshot=None, departments=None)
    assert len(table(at, "scores_items")) == (~items["unscored"]).sum()
    assert len(table(at, "scores_unscored")) == scores["unscored"]
    assert len(table(at, "scores_risk")) == len(at_risk)
    (lost,) = chart(at, "chart.points_lost", top=15)
    assert max(lost["x"]) == items["lost"].max()


def test_scores_page_worked_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(tiny(tmp_path, ("自评", SCORES)), monkeypatch, "pages/scores.py", as_of="2025-10-31")
    # scored base items a (3/4) and b (4/4); c unscored, d's score above its max; bonus e 6/10
    assert metrics(at) == {
        "自评得分": "7 + 6",
        "满分": "16 + 10",
        "得分率": "87.5%",
        "失分": "1",
        "未评分项": "2",
        "风险分值": "0",
    }
    assert sorted(table(at, "scores_unscored")["item"]) == ["c", "d"]
    assert [s.value for s in at.success] == [zh("scores.no_risk")]


def test_scores_without_bonus_items_show_one_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = [row for row in SCORES if row[0] != "特色指标"]
    at = app(tiny(tmp_path, ("自评", base)), monkeypatch, "pages/scores.py", as_of="2025-10-31")
    assert metrics(at)["满分"] == "16" and metrics(at)["自评得分"] == "7"


def test_scores_for_one_department(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/scores.py", as_of=AS_OF.isoformat(), dept="工会")
    expected = summary.build(sample, AS_OF, ["工会"])["scores"]
    shown = metrics(at)
    assert shown["得分率"] == pct(expected["attainment"])
    assert shown["未评分项"] == str(expected["unscored"])
    assert set(table(at, "scores_items")["department"]) == {"工会"}


def test_scores_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_empty_state(app(tmp_path / "empty.duckdb", monkeypatch, "pages/scores.py"), "scores")


# ---------------------------------------------------------------- 参与情况


def test_participation_page_on_the_sample(sample: Store, figures: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(sample, monkeypatch, "pages/participation.py", as_of=AS_OF.isoformat())
    part = figures["participation"]
    assert metrics(at) == {
        "活动次数": str(part["activities"]),
        "参与人次": f"{part['person_times']:,}",
        "志愿服务时长": hours(part["volunteer_hours"]),
        "到场率": pct(part["attendance_rate"]),
    }
    (bars,) = chart(at, "chart.person_times_per_head")
    assert dict(zip(bars["y"], bars["x"], strict=True)) == pytest.approx(
        {d: r["person_times_per_head"] for d, r in part["by_department"].items()}
    )
    people = sum(sum(tr["y"]) for tr in chart(at, "chart.person_times_by_month"))
    assert people == part["person_times"]
    shown = table(at, "part_departments").set_index("department")
    assert shown["person_times"].to_dict() == {d: r["person_times"] for d, r in part["by_department"].items()}
    surveys = sample.query("surveys_by_department", as_of=AS_OF, snapshot=None, departments=None)
    assert len(table(at, "part_surveys_table")) == len(surveys)
    (heat,) = chart(at, "chart.survey_rates")
    assert len(heat["y"]) == len(surveys)


def test_participation_filters(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    day = dt.date(2026, 6, 30)
    at = app(sample, monkeypatch, "pages/participation.py", as_of=day.isoformat(), dept=["团委", "工会"])
    expected = summary.build(sample, day, ["团委", "工会"])["participation"]
    assert metrics(at)["活动次数"] == str(expected["activities"])
    assert metrics(at)["参与人次"] == f"{expected['person_times']:,}"
    assert metrics(at)["志愿服务时长"] == hours(expected["volunteer_hours"])
    shown = table(at, "part_departments").set_index("department")
    assert shown["activities"].to_dict() == {d: r["activities"] for d, r in expected["by_department"].items()}
    assert sorted(shown.index) == sorted(["团委", "工会"])


def test_participation_with_surveys_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(tiny(tmp_path, ("问卷", SURVEYS)), monkeypatch, "pages/participation.py", as_of="2025-10-31")
    assert metrics(at) == {"活动次数": "0", "参与人次": "0", "志愿服务时长": "0", "到场率": "—"}
    (heat,) = chart(at, "chart.survey_rates")
    assert heat["y"] == ["办公室", "研究室"] and heat["x"] == ["知晓率", "满意度"]
    assert np.array(heat["z"]) == pytest.approx(np.array([[0.925, 0.9], [0.95, 0.88]]))


def test_participation_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_empty_state(app(tmp_path / "empty.duckdb", monkeypatch, "pages/participation.py"), "activities")


# ---------------------------------------------------------------- 数据导入

UPLOAD_TASKS = [*TASKS, ["", "T10", "办公室", "明年", "", ""]]  # D12: a deadline nobody can read


def without_times(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """A dump with the import time (the only thing two imports of one file differ in) blanked."""
    return {**rows, "imports": [(r[0], None, *r[2:]) for r in rows["imports"]]}


def test_upload_preview_confirm_and_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = workbook(("任务", UPLOAD_TASKS), ("整改", ISSUES))
    db = tmp_path / "upload.duckdb"
    at = app(db, monkeypatch, "pages/upload.py")
    at.file_uploader[0].upload("台账.xlsx", data, XLSX).run()
    assert not at.exception and not at.error
    sheets = at.dataframe[0].value
    assert sheets[["sheet", "kind", "rows"]].values.tolist() == [["任务", "任务分解", 10], ["整改", "问题整改", 5]]
    assert [e.label for e in at.expander] == [
        zh("upload.headers"),
        zh("upload.warnings", count=2),
        zh("words.offer", file="台账.xlsx"),  # 明年 is a date no rule reads: it may be taught
    ]
    warnings = at.dataframe[2].value
    assert sorted(warnings["cell"]) == ["任务!D12", "任务!E9"]  # 明年; 基本完成
    confirm = at.button[0]  # then the form that teaches 明年 (WORKBOOKS.md §8)
    assert confirm.label == zh("upload.confirm", count=1) and confirm.disabled
    assert [w.value for w in at.warning] == [zh("upload.need_user")]
    at.text_input(key="upload_user").input("张三").run()
    assert not at.button[0].disabled
    at.button[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        zh("upload.done", file="台账.xlsx", import_id=1, rows="任务分解 10 行，问题整改 5 行", warnings=2)
    ]
    assert not at.file_uploader[0].value  # a fresh uploader for the next files
    history = table(at, "upload_history")
    assert history[["import_id", "user_name", "file_name"]].values.tolist() == [[1, "张三", "台账.xlsx"]]

    reference = Store.open(tmp_path / "reference.duckdb")
    reference.import_file(data, "台账.xlsx", user="张三")
    imported = Store.open(db)
    assert without_times(dump(imported)) == without_times(dump(reference))
    assert [p.read_bytes() for p in imported.archive.iterdir()] == [data]

    at.switch_page("pages/tasks.py").run()
    assert zh("tasks.count", shown=10, total=10) in [c.value for c in at.caption]


def test_upload_of_a_bad_file_changes_nothing(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = dump(sample)
    at = app(sample, monkeypatch, "pages/upload.py")
    at.file_uploader[0].upload("任务.xlsx", b"task,department\nT1,office\n", "text/csv").run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("任务.xlsx：") and error.value.count("。") == 1
    assert not at.button and not at.success
    assert dump(sample) == before


def test_upload_of_the_same_file_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, db = workbook(("任务", TASKS)), tmp_path / "twice.duckdb"
    store = Store.open(db)
    store.import_file(data, "first.xlsx", user="test")
    store.close()
    at = app(db, monkeypatch, "pages/upload.py")
    at.text_input(key="upload_user").input("李四").run()
    at.file_uploader[0].upload("again.xlsx", data, XLSX).run()
    at.button[0].click().run()
    assert [s.value for s in at.success] == [zh("warn.duplicate_file", file="again.xlsx", import_id=1)]
    assert len(table(at, "upload_history")) == 1


def test_upload_of_far_fewer_rows_shows_the_difference_and_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = ["工作任务", "牵头部门"]
    db = tmp_path / "fewer.duckdb"
    store = Store.open(db)
    store.import_file(workbook(("任务", [header, *([f"任务{i}", "办公室"] for i in range(25))])), "full.xlsx", user="a")
    store.close()
    at = app(db, monkeypatch, "pages/upload.py")
    at.text_input(key="upload_user").input("李四").run()
    at.file_uploader[0].upload("cut.xlsx", workbook(("任务", [header, ["任务0", "办公室"]])), XLSX).run()

    (warning,) = at.warning
    assert warning.value == zh("upload.fewer", file="cut.xlsx") + "\n- " + zh(
        "fewer.sheet", sheet="任务", kind="任务分解", before=25, after=1
    )
    assert not at.button  # nothing to import until the difference is confirmed
    at.checkbox[0].check().run()
    assert at.button[0].label == zh("upload.confirm", count=1)
    at.button[0].click().run()
    assert not at.error and len(at.success) == 1
    assert table(at, "upload_history")["file_name"].tolist() == ["cut.xlsx", "full.xlsx"]


def test_upload_page_on_an_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(tmp_path / "empty.duckdb", monkeypatch, "pages/upload.py")
    assert [x.value for x in at.title] == ["数据导入"]
    assert table(at, "upload_history").empty
    templates = sorted(p.stem for p in (ROOT / "data" / "templates").glob("*.xlsx"))
    assert sorted(b.label for b in at.get("download_button")) == templates and len(templates) == 6


def test_upload_of_several_files_reads_each_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    parse = Store.parse

    def counting(self: Store, data: bytes, file_name: str, **kwargs: Any) -> Any:
        reads.append(file_name)
        return parse(self, data, file_name, **kwargs)

    monkeypatch.setattr(Store, "parse", counting)
    at = app(tmp_path / "several.duckdb", monkeypatch, "pages/upload.py")
    at.file_uploader[0].set_value(
        [("a.xlsx", workbook(("任务", TASKS)), XLSX), ("b.xlsx", workbook(("整改", ISSUES)), XLSX)]
    )
    at.run()
    at.text_input(key="upload_user").input("王五").run()
    assert sorted(reads) == ["a.xlsx", "b.xlsx"]  # not again on the rerun
    assert at.button[0].label == zh("upload.confirm", count=2)
    at.button[0].click().run()
    assert len(at.success) == 2 and not at.error
    assert table(at, "upload_history")["file_name"].tolist() == ["b.xlsx", "a.xlsx"]


def test_upload_internal_error_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Store, data: bytes, file_name: str, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in the reader")

    monkeypatch.setattr(Store, "parse", broken)
    at = app(tmp_path / "broken.duckdb", monkeypatch, "pages/upload.py")
    at.file_uploader[0].upload("台账.xlsx", workbook(("任务", TASKS)), XLSX).run()
    assert not at.exception and not at.button
    assert [e.value for e in at.error] == [
        zh("refused.sentence", file="台账.xlsx", reason=zh("upload.internal_error", error="RuntimeError"))
    ]


def _changes_a_cached_figure() -> None:
    import datetime as dt

    import streamlit as st

    from wenming import web

    params = {"as_of": dt.date(2026, 11, 20), "departments": None, "snapshot": None}
    first = web.query("tasks_by_department", **params)
    first["department"] = "改过"  # what a careless page might do to a query's frame
    first.iloc[0, first.columns.get_loc("total")] = -1
    st.write(web.query("tasks_by_department", **params)[["department", "total"]].values.tolist())


def test_the_figures_cached_for_every_session_are_never_changed_by_one(
    sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Query results are shared, not copied per hit: a page changing its frame changes only its own."""
    monkeypatch.setenv("WENMING_DB", str(sample.path))
    at = AppTest.from_function(_changes_a_cached_figure, default_timeout=30).run()
    assert not at.exception
    params = {"as_of": dt.date(2026, 11, 20), "departments": None, "snapshot": None}
    expected = sample.query("tasks_by_department", **params)[["department", "total"]].values.tolist()
    assert len(expected) == 10 and min(total for _, total in expected) > 0
    (shown,) = at.json
    assert json.loads(shown.value) == expected
