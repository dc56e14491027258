"""Users and sign-in for the access tests: a database with one user of each role, and signing in an AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.workbooks import workbook
from wenming.store import Store, auth

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
AS_OF = dt.date(2025, 10, 31)
PASSWORD = "correct-horse-1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ADMIN, OFFICE, RESEARCH, LEADER = "管理员", "张伟", "李娜", "王局"
HEADER = ["工作任务", "牵头部门", "完成时限", "完成情况"]


def tasks_book(*rows: list[object], title: str | None = None) -> bytes:
    head = [[title]] if title else []
    return workbook(("任务分解", [*head, HEADER, *rows]))


OFFICE_BOOK = tasks_book(["办公室任务一", "办公室", "", "已完成"], ["办公室任务二", "办公室", "", ""])
MIXED_BOOK = tasks_book(
    ["办公室任务三", "办公室", "", ""], ["研究任务", "研究室", "", ""], ["法工任务", "法工委", "", ""]
)
WHOLE_BOOK = workbook(("测评", [["测评内容", "分值", "得分"], ["内容一", 10, 8]]))  # no department column


def add_users(store: Store) -> None:
    """One user of each role: an admin, two staff (办公室; 研究室) and a leader."""
    auth.add_user(store, ADMIN, "admin", password=PASSWORD)
    auth.add_user(store, OFFICE, "staff", ["办公室"], password=PASSWORD, by=ADMIN)
    auth.add_user(store, RESEARCH, "staff", ["研究室"], password=PASSWORD, by=ADMIN)
    auth.add_user(store, LEADER, "leader", password=PASSWORD, email="wang@example.cn", by=ADMIN)


def database(tmp_path: Path, *, users: bool = True, data: bool = True) -> Path:
    """A database with the 办公室 tracker imported (by the admin) and the four users."""
    path = tmp_path / "access.duckdb"
    store = Store.open(path)
    if users:
        add_users(store)
    if data:
        store.import_file(OFFICE_BOOK, "office.xlsx", user=ADMIN if users else "test", as_of=AS_OF)
    store.close()
    return path


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **url: Any) -> AppTest:
    monkeypatch.setenv("WENMING_DB", str(db))
    monkeypatch.setenv("WENMING_SAMPLES", "0")
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in url.items():
        at.query_params[key] = value
    return at.run()


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    return at.button[0].click().run()


def signed_in_app(db: Path, monkeypatch: pytest.MonkeyPatch, name: str, page: str | None = None) -> AppTest:
    at = sign_in(app(db, monkeypatch, as_of=AS_OF.isoformat()), name)
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def nav(at: AppTest) -> list[str]:
    """The pages st.navigation listed for this session, by file name."""
    return [Path(info["script_path"]).name for info in at._registered_pages.values() if "script_path" in info]
