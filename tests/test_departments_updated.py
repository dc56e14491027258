"""Each department's last update (issue 16): queries/departments_updated.sql and 导入记录's section.

The imports are dated by hand (imported_at set after the fact), so the days since are worked out here:
two.xlsx (办公室, 研究室) on 2026-07-01 09:00; 张伟's in-app edit of 办公室 on 2026-07-15 08:00; wrong.xlsx
(研究室) on 2026-07-20 10:00, voided; 法工委 is known by an alias only, never updated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tests.access import ADMIN, LEADER, OFFICE, WHOLE_BOOK, database, signed_in_app, tasks_book
from wenming.store import Store, voids
from wenming.store.updates import Edit, save
from wenming.text import t

AS_OF = dt.date(2026, 7, 31)
COLUMNS = ["department", "updated_at", "user_name", "action", "file_name", "kinds", "days_since"]


def dated(store: Store, import_id: int, when: str) -> None:
    store.con.execute("update imports set imported_at = ? where import_id = ?", [pd.Timestamp(when), import_id])


def last_updates(store: Store, as_of: dt.date = AS_OF, departments: list[str] | None = None) -> list[list]:
    frame = store.query("departments_updated", as_of=as_of, departments=departments)
    frame["updated_at"] = frame["updated_at"].map(lambda v: None if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M"))
    frame["kinds"] = frame["kinds"].map(lambda v: list(v) if pd.api.types.is_list_like(v) else None)
    frame["days_since"] = frame["days_since"].map(lambda v: None if pd.isna(v) else int(v))
    return frame[COLUMNS].astype(object).where(frame[COLUMNS].notna(), None).values.tolist()


@pytest.fixture
def updated(store: Store) -> Store:
    two = tasks_book(["办公室任务", "办公室", "", ""], ["研究任务", "研究室", "", ""])
    first = store.import_file(two, "two.xlsx", user="李娜", as_of=AS_OF).import_id
    dated(store, first, "2026-07-01 09:00")
    edit = save(store, [Edit("tasks", "办公室", 2, {"status": "done"})], user="张伟")
    dated(store, edit, "2026-07-15 08:00")
    wrong = store.import_file(tasks_book(["研究任务", "研究室", "", "已完成"]), "wrong.xlsx", user="赵六").import_id
    dated(store, wrong, "2026-07-20 10:00")
    voids.void_import(store, wrong, user="管理员")
    store.set_alias("法工", "法工委")
    return store


def test_each_department_s_last_update_longest_silent_first(updated: Store) -> None:
    edit = t("update.file", "zh", departments="办公室", count=2)  # status and the progress it implies
    assert last_updates(updated) == [
        ["法工委", None, None, None, None, None, None],  # never updated: first
        ["研究室", "2026-07-01 09:00", "李娜", "import", "two.xlsx", ["tasks"], 30],  # wrong.xlsx is voided
        ["办公室", "2026-07-15 08:00", "张伟", "update", edit, ["tasks"], 16],
    ]


def test_an_update_after_the_date_is_not_yet_one(updated: Store) -> None:
    assert last_updates(updated, dt.date(2026, 7, 14)) == [
        ["法工委", None, None, None, None, None, None],
        ["办公室", "2026-07-01 09:00", "李娜", "import", "two.xlsx", ["tasks"], 13],
        ["研究室", "2026-07-01 09:00", "李娜", "import", "two.xlsx", ["tasks"], 13],
    ]
    assert last_updates(updated, dt.date(2026, 6, 30)) == [[d, *[None] * 6] for d in ["办公室", "法工委", "研究室"]]


def test_an_unvoided_import_and_the_sidebar_s_departments(updated: Store) -> None:
    voids.void_import(updated, 3, user="管理员", undo=True)
    assert last_updates(updated, departments=["研究室"]) == [
        ["研究室", "2026-07-20 10:00", "赵六", "import", "wrong.xlsx", ["tasks"], 11],
    ]


def test_a_restore_is_not_an_update_and_a_whole_sheet_updates_every_department(updated: Store) -> None:
    restored = updated.restore(1, user="管理员")
    dated(updated, restored, "2026-07-25 12:00")
    before = last_updates(updated)
    assert [row[1] for row in before] == [None, "2026-07-01 09:00", "2026-07-15 08:00"]
    whole = updated.import_file(WHOLE_BOOK, "scores.xlsx", user="王五").import_id  # no department column
    dated(updated, whole, "2026-07-30 17:30")
    assert last_updates(updated) == [
        [d, "2026-07-30 17:30", "王五", "import", "scores.xlsx", ["scores"], 1] for d in ["办公室", "法工委", "研究室"]
    ]


# ---------------------------------------------------------------- 导入记录


def test_leaders_see_the_section_on_top_of_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """office.xlsx (办公室, by the admin) 40 days ago, 张伟's edit of 办公室 10 days ago; 研究室 (a user's) never."""
    db = database(tmp_path)
    store = Store.open(db)
    today = dt.date.today()
    imported = pd.Timestamp(today - dt.timedelta(days=40)).replace(hour=8)
    dated(store, 1, str(imported))
    store.import_file(tasks_book(["工会任务", "工会", "", ""]), "union.xlsx", user=ADMIN)
    dated(store, 2, str(imported + pd.Timedelta(minutes=5)))
    edit = save(store, [Edit("tasks", "办公室", 3, {"status": "done"})], user=OFFICE)
    edited = pd.Timestamp(today - dt.timedelta(days=10)).replace(hour=9, minute=30)
    dated(store, edit, str(edited))
    store.close()

    at = signed_in_app(db, monkeypatch, LEADER, "pages/history.py")
    assert at.subheader[0].value == t("history.updated", "zh")
    assert t("history.updated_help", "zh", as_of=today.isoformat()) in [c.value for c in at.caption]
    shown = at.dataframe[0].value
    assert shown.columns.tolist() == [
        "department",
        "updated_at",
        "user_name",
        "how",
        "kinds_touched",
        "days_since",
        "silent",
    ]
    assert shown["department"].tolist() == ["研究室", "工会", "办公室"]
    assert shown["updated_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("").tolist() == [
        "",
        (imported + pd.Timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M"),
        edited.strftime("%Y-%m-%d %H:%M"),
    ]
    assert shown["user_name"].fillna("").tolist() == ["", ADMIN, OFFICE]
    assert shown["how"].fillna("").tolist() == ["", "union.xlsx", t("history.updated_in_app", "zh")]
    assert shown["kinds_touched"].fillna("").tolist() == ["", t("kind.tasks", "zh"), t("kind.tasks", "zh")]
    assert shown["days_since"].tolist()[1:] == [40, 10] and pd.isna(shown["days_since"][0])
    never, silent = t("history.updated_never", "zh"), t("history.updated_silent", "zh", days=30)
    assert shown["silent"].fillna("").tolist() == [never, silent, ""]
    assert at.dataframe[1].value["file_name"].tolist()[-1] == "office.xlsx"  # the log follows
