"""One staff import never rewrites another department's history; an admin voids an import (issue 17, item 1).

The attack as it was reported: on the bundled samples, a staff user of 工会 uploads a one-row tracker
titled （截至2020年1月1日）. Before the rule was per kind AND department, every department's past
figures moved; now only 工会's own history reads its report, and voiding the import undoes even that.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.workbooks import workbook
from wenming.figures import at, summary, trend
from wenming.store import Store, auth, voids
from wenming.text import t

SAMPLES = ROOT / "data" / "sample"
ATTACK = workbook(
    (
        "工会",
        [
            ["工会任务推进台账（截至2020年1月1日）"],
            ["工作任务", "牵头部门", "完成情况"],
            ["一项任务", "工会", "未启动"],
        ],
    )
)
# around the attack's date, every quarter end since, and every month end of the samples' year of dates
DAYS = [
    dt.date(2019, 12, 31),
    dt.date(2020, 1, 1),
    *[day for day in trend.points(dt.date(2025, 9, 30), months=69) if day.month % 3 == 0],
    *trend.points(dt.date(2026, 11, 30), months=14),
    dt.date(2026, 11, 20),
]
BY_DEPARTMENT = ("tasks_by_department", "issues_by_department", "participation_by_department")


@pytest.fixture
def sample(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sample.duckdb")
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    auth.add_user(store, "管理员", role="admin", password="admin-pass-1", by="test")
    auth.add_user(store, "工会填报", role="staff", departments=["工会"], password="staff-pass-1", by="test")
    yield store
    store.close()


def by_department(store: Store) -> dict[tuple[str, dt.date], pd.DataFrame]:
    """Every per-department figure at every month end from 2019 to 2026, rows sorted by department."""
    return {
        (name, day): store.query(name, **at.params(day)).sort_values("department").reset_index(drop=True)
        for name in BY_DEPARTMENT
        for day in DAYS
    }


def others(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["department"] != "工会"].reset_index(drop=True)


def test_a_staff_import_dated_2020_moves_no_other_departments_figure(sample: Store) -> None:
    before = by_department(sample)
    summary_before = summary.build(sample, dt.date(2026, 10, 31))
    current_before = summary.build(sample, dt.date(2026, 11, 20))
    sample.import_file(ATTACK, "工会.xlsx", user="工会填报")
    after = by_department(sample)
    for key, frame in before.items():
        pd.testing.assert_frame_equal(others(after[key]), others(frame), obj=str(key))
    # 工会's own history reads its report from 2020-01-01 until its real tracker (2026-11-20)
    october = summary.build(sample, dt.date(2026, 10, 31))["tasks"]
    assert october["by_department"]["工会"] == {"total": 1, "done": 0, "overdue": 0, "completion_rate": 0}
    assert october["total"] == summary_before["tasks"]["total"] - 25 + 1  # not "共分解任务1项"
    # today's figures, and the default date, are those of the samples
    assert summary.build(sample, dt.date(2026, 11, 20)) == current_before
    assert at.data_until(sample.query) == dt.date(2026, 11, 20)


def test_voiding_the_import_restores_every_figure_and_undo_brings_it_back(sample: Store) -> None:
    before = by_department(sample)
    result = sample.import_file(ATTACK, "工会.xlsx", user="工会填报")
    attacked = by_department(sample)
    with pytest.raises(auth.Forbidden) as refused:
        voids.void_import(sample, result.import_id, user="工会填报")
    assert "只有管理员可以作废" in refused.value.message()
    assert voids.void_import(sample, result.import_id, user="管理员")
    assert not voids.void_import(sample, result.import_id, user="管理员")  # already voided
    for key, frame in by_department(sample).items():
        pd.testing.assert_frame_equal(frame, before[key], obj=str(key))
    assert result.import_id in voids.voided(sample) and result.import_id in set(sample.imports()["import_id"])
    assert voids.void_import(sample, result.import_id, user="管理员", undo=True)
    for key, frame in by_department(sample).items():
        pd.testing.assert_frame_equal(frame, attacked[key], obj=str(key))
    logged = auth.audit_log(sample)
    actions = [
        (r["action"], json.loads(r["detail"])["import_id"]) for _, r in logged.iterrows() if "void" in r["action"]
    ]
    assert sorted(actions) == [("unvoid_import", result.import_id), ("void_import", result.import_id)]
    with pytest.raises(KeyError):
        voids.void_import(sample, 999, user="管理员")


def test_the_command_line_voids_and_undoes(sample: Store) -> None:
    result = sample.import_file(ATTACK, "工会.xlsx", user="工会填报")
    sample.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wenming", *args, "--db", str(sample.path)], capture_output=True, text=True, cwd=ROOT
        )

    refused = run("void", str(result.import_id), "--user", "工会填报")
    assert refused.returncode == 1 and "只有管理员可以作废" in refused.stderr and "Traceback" not in refused.stderr
    done = run("void", str(result.import_id), "--user", "管理员")
    assert done.returncode == 0 and f"第 {result.import_id} 次导入已作废" in done.stdout
    assert "已作废" in run("history").stdout
    october = json.loads(run("summary", "--as-of", "2026-10-31", "--json").stdout)
    assert october["tasks"]["by_department"]["工会"]["total"] == 25
    undone = run("void", str(result.import_id), "--undo", "--user", "管理员")
    assert undone.returncode == 0 and "撤销作废" in undone.stdout
    october = json.loads(run("summary", "--as-of", "2026-10-31", "--json").stdout)
    assert october["tasks"]["by_department"]["工会"]["total"] == 1
    assert run("void", "999", "--user", "管理员").returncode == 1


def test_an_admin_voids_and_unvoids_on_the_history_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.access import ADMIN, AS_OF, OFFICE, database, signed_in_app, tasks_book

    db = database(tmp_path)
    store = Store.open(db)
    store.import_file(tasks_book(["办公室第二版", "办公室", "", ""]), "v2.xlsx", user=OFFICE, as_of=AS_OF)
    store.close()
    page = signed_in_app(db, monkeypatch, ADMIN, "pages/history.py")
    page.button(key="history_void_2").click().run()
    assert not page.exception and [s.value for s in page.success] == [t("history.voided", "zh", import_id=2)]
    log = page.dataframe[1].value.set_index("import_id")  # after each department's last update
    assert log.loc[2, "voided"].startswith("已作废（") and log.loc[2, "voided"].endswith(f"{ADMIN}）")
    assert log.loc[1, "voided"] == ""
    store = Store.open(db)
    assert sorted(store.con.execute("select task from tasks_at(null)").fetchall()) == [
        ("办公室任务一",),
        ("办公室任务二",),
    ]
    store.close()
    assert page.button(key="history_void_2").label == t("history.unvoid_confirm", "zh", import_id=2)
    page.button(key="history_void_2").click().run()
    assert [s.value for s in page.success] == [t("history.unvoided", "zh", import_id=2)]
    store = Store.open(db)
    assert store.con.execute("select task from tasks_at(null)").fetchall() == [("办公室第二版",)]
    assert voids.voided(store) == {}
    store.close()
