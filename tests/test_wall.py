"""大屏 wall screens: tokens in the store and on the command line, the wall page and the admin's part.

The browser test (a screen that advances by itself, picks up an import, survives a reload and stays
offline) is tests/test_wall_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.access import ADMIN, LEADER, OFFICE, add_users, nav, signed_in_app
from tests.conftest import dump
from tests.test_pages import SAMPLES
from wenming import cli
from wenming.render import audit
from wenming.store import Store, auth
from wenming.store import wall as walls
from wenming.text import t

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


def audit_rows(store: Store, action: str) -> list[dict[str, Any]]:
    rows = store.con.execute(
        "select user_name, detail from audit_log where action = ? order by happened_at", [action]
    ).fetchall()
    return [{"by": by, **json.loads(detail)} for by, detail in rows]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample trackers in a database of their own (the wall's tests add tokens and users to it)."""
    path = tmp_path_factory.mktemp("wall") / "wall.duckdb"
    store = Store.open(path)
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    store.close()
    return path


def token_for(db: Path, label: str = "三楼大厅", seconds: int = 20) -> str:
    store = Store.open(db)
    try:
        return walls.create(store, label, by=ADMIN if auth.has_users(store) else "test", seconds=seconds)[1]
    finally:
        store.close()


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **url: Any) -> AppTest:
    monkeypatch.setenv("WENMING_DB", str(db))
    monkeypatch.setenv("WENMING_SAMPLES", "0")
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in url.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def foot(at: AppTest) -> tuple[int, int, str]:
    """(screen number, screens, as-of date) from the wall's foot line."""
    found = re.search(r"第 (\d+) / (\d+) 屏 · 截至 (\S+)", html(at))
    assert found, "the wall's foot line"
    return int(found[1]), int(found[2]), found[3]


# ---------------------------------------------------------------- tokens in the store


def test_a_wall_token_is_random_kept_only_as_its_hash_and_audited(store: Store) -> None:
    first_id, first = walls.create(store, "  三楼   大厅 ", by="管理员")
    second_id, second = walls.create(store, "食堂", by="管理员", seconds=30)
    assert first != second and len(first) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", first)  # 32 random bytes
    everything = str(dump(store))
    assert first not in everything and second not in everything
    assert walls.digest(first) in everything  # only the SHA-256
    listed = walls.listing(store)
    assert listed.columns.tolist() == walls.COLUMNS  # never the token or its hash
    assert listed["wall_id"].tolist() == [second_id, first_id]
    assert listed["label"].tolist() == ["食堂", "三楼 大厅"] and listed["seconds"].tolist() == [30, 20]
    assert listed["created_by"].tolist() == ["管理员", "管理员"] and listed["revoked_at"].isna().all()
    assert audit_rows(store, "wall_create") == [
        {"by": "管理员", "wall": first_id, "label": "三楼 大厅"},
        {"by": "管理员", "wall": second_id, "label": "食堂"},
    ]
    assert audit.sentence("wall_create", json.dumps({"wall": 1, "label": "食堂"})) == "生成第 1 号大屏网址“食堂”"
    assert walls.admit(store, first) == walls.Wall(first_id, "三楼 大厅", 20)


def test_a_revoked_or_unknown_token_is_refused_and_the_revocation_audited(store: Store) -> None:
    wall_id, token = walls.create(store, "大厅", by="管理员")
    other_id, other = walls.create(store, "食堂", by="管理员")
    assert walls.revoke(store, wall_id, by="管理员") is True
    assert walls.admit(store, token) is None
    assert walls.admit(store, other) is not None  # another screen goes on
    assert walls.revoke(store, wall_id, by="管理员") is False  # already revoked: nothing changes
    with pytest.raises(KeyError):
        walls.revoke(store, 99, by="管理员")
    for bad in ("", None, "not-a-token", token[:-1], walls.digest(other)):
        assert walls.admit(store, bad) is None
    row = walls.listing(store).set_index("wall_id").loc[wall_id]
    assert row["revoked_by"] == "管理员" and row["revoked_at"] is not None
    assert audit_rows(store, "wall_revoke") == [{"by": "管理员", "wall": wall_id, "label": "大厅"}]
    assert walls.listing(store).set_index("wall_id").loc[other_id, "revoked_at"] != row["revoked_at"]


def test_only_an_admin_creates_or_revokes_a_wall_token(store: Store) -> None:
    add_users(store)
    for who in (OFFICE, LEADER, "nobody"):
        with pytest.raises(auth.Forbidden):
            walls.create(store, "大厅", by=who)
    wall_id, _ = walls.create(store, "大厅", by=ADMIN)
    with pytest.raises(auth.Forbidden) as refused:
        walls.revoke(store, wall_id, by=LEADER)
    assert refused.value.message() == "大屏：" + zh("refused.forbidden_wall", user=LEADER)
    assert walls.listing(store)["revoked_at"].isna().all() and len(walls.listing(store)) == 1


def test_a_label_and_the_seconds_are_checked(store: Store) -> None:
    for label, seconds, key in (
        ("", 20, "label"),
        (" ", 20, "label"),
        ("长" * 41, 20, "label"),
        ("大厅", 1, "seconds"),
    ):
        with pytest.raises(walls.WallError) as error:
            walls.create(store, label, by="管理员", seconds=seconds)
        assert error.value.key == key
    assert walls.listing(store).empty and not audit_rows(store, "wall_create")


def test_last_used_is_noted_at_most_once_a_minute(store: Store) -> None:
    wall_id, token = walls.create(store, "大厅", by="管理员")
    assert walls.listing(store)["last_used"].isna().all()
    walls.admit(store, token)
    first = walls.listing(store).iloc[0]["last_used"]
    assert first is not None and abs(dt.datetime.now() - first) < dt.timedelta(minutes=1)
    walls.admit(store, token)
    assert walls.listing(store).iloc[0]["last_used"] == first  # a wall polls every few seconds: no write each time
    store.con.execute("update wall_tokens set last_used = last_used - interval 2 minute where wall_id = ?", [wall_id])
    walls.admit(store, token)
    assert walls.listing(store).iloc[0]["last_used"] > first - dt.timedelta(minutes=2)


# ---------------------------------------------------------------- the command line


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_wall_create_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    code, out, _ = run(
        ["wall", "create", "三楼大厅", "--seconds", "15", "--url", "http://看板:8501/", "--db", db], capsys
    )
    assert code == 0
    said, address = out.strip().splitlines()
    assert said == zh("wall.cli_created", label="三楼大厅")
    token = re.fullmatch(r"http://看板:8501/wall\?token=([A-Za-z0-9_-]+)", address)[1]
    code, out, _ = run(["wall", "list", "--db", db], capsys)
    head, row = out.strip().splitlines()
    assert head.split() == ["编号", "名称", "每屏秒数", "状态", "创建人", "创建时间", "最近使用", "撤销时间（操作人）"]
    assert row.split()[:4] == ["1", "三楼大厅", "15", "使用中"] and row.split()[4].startswith("命令行（")
    assert token not in out
    assert run(["wall", "revoke", "1", "--db", db], capsys)[:2] == (0, zh("wall.cli_revoked", wall=1) + "\n")
    assert run(["wall", "revoke", "1", "--db", db], capsys) == (1, "", zh("wall.cli_already", wall=1) + "\n")
    assert run(["wall", "revoke", "7", "--db", db], capsys)[::2] == (1, zh("wall.cli_unknown", wall=7) + "\n")
    code, _, err = run(["wall", "create", "食堂", "--seconds", "1", "--db", db], capsys)
    assert code == 1 and err.strip() == zh("wall.error.seconds", low=2, high=3600, seconds=1)
    store = Store.open(db)
    try:
        assert walls.admit(store, token) is None
        assert [r["wall"] for r in audit_rows(store, "wall_create")] == [1]
        assert [r["wall"] for r in audit_rows(store, "wall_revoke")] == [1]
        assert run(["wall", "list", "--db", db], capsys)[1].splitlines()[1].split()[3] == "已撤销"
    finally:
        store.close()


def test_cli_wall_needs_an_admin_once_users_are_set_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "users.duckdb"
    store = Store.open(db)
    add_users(store)
    store.close()
    code, out, err = run(["wall", "create", "大厅", "--user", OFFICE, "--db", str(db)], capsys)
    assert code == 1 and not out and err.strip() == "大屏：" + zh("refused.forbidden_wall", user=OFFICE)
    assert run(["wall", "create", "大厅", "--db", str(db)], capsys)[0] == 1  # no --user: nobody
    code, out, _ = run(["wall", "create", "大厅", "--user", ADMIN, "--db", str(db)], capsys)
    assert code == 0 and "/wall?token=" in out
    assert run(["wall", "revoke", "1", "--user", LEADER, "--db", str(db)], capsys)[0] == 1
    assert run(["wall", "revoke", "1", "--user", ADMIN, "--db", str(db)], capsys)[0] == 0


# ---------------------------------------------------------------- the wall page


def test_the_wall_shows_the_overviews_figures_at_the_same_date(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overview = app(sample, monkeypatch)  # 总览 on its default date, the local mode
    token = token_for(sample)
    wall = app(sample, monkeypatch, token=token, screen="1")
    assert [(m.label, m.value, m.delta) for m in wall.metric] == [(m.label, m.value, m.delta) for m in overview.metric]
    assert len(wall.metric) == 6
    number, count, as_of = foot(wall)
    assert (number, as_of) == (1, overview.sidebar.date_input[0].value.isoformat())
    # the completion chart of 总览 is the wall's second screen, bar for bar
    wall = app(sample, monkeypatch, token=token, screen="2")
    assert foot(wall)[:2] == (2, count)
    (on_wall,) = [json.loads(c.proto.spec) for c in wall.get("plotly_chart")]
    on_page = json.loads(overview.get("plotly_chart")[0].proto.spec)
    assert on_wall["data"][0]["y"] == on_page["data"][0]["y"]
    assert on_wall["data"][0]["x"] == on_page["data"][0]["x"]
    assert on_wall["layout"]["font"]["size"] >= 22  # set for the room
    # nothing else of the dashboard: no sidebar, no sign-in, no buttons, uploads or downloads
    assert not wall.sidebar.date_input and not wall.sidebar.multiselect and not wall.get("segmented_control")
    assert not wall.button and not wall.get("file_uploader") and not wall.get("download_button")


def test_the_wall_ends_with_the_current_review(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_for(sample)
    first = app(sample, monkeypatch, token=token, screen="1")
    count = foot(first)[1]
    titles = []
    for number in range(1, count + 1):
        titles.append(re.search(r"<h1>(.*?)</h1>", html(app(sample, monkeypatch, token=token, screen=str(number))))[1])
    assert titles[:7] == [zh("page.overview")] * 3 + [
        zh(f"page.{p}") for p in ("tasks", "overdue", "scores", "participation")
    ]
    review = zh("wall.review", period="2026年10月")  # the month before the data's 截至 2026-11-20
    assert all(title.startswith(review + " · ") for title in titles[7:]) and len(titles) > 8


def test_the_screen_follows_the_clock_so_a_reload_shows_the_same_one(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_for(sample)
    count = foot(app(sample, monkeypatch, token=token, screen="1"))[1]
    monkeypatch.setattr("wenming.web.wall.clock", lambda: 1_000_000 * 5 + 0.5)
    at = app(sample, monkeypatch, token=token, every="5")
    expected = 1_000_000 % count + 1
    assert foot(at)[0] == expected
    assert foot(app(sample, monkeypatch, token=token, every="5"))[0] == expected  # a reload: a new session
    monkeypatch.setattr("wenming.web.wall.clock", lambda: 1_000_001 * 5 + 0.5)
    assert foot(at.run())[0] == expected % count + 1  # five seconds on: the next screen


def test_a_bad_or_revoked_token_gets_one_sentence(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_for(sample)
    for bad in ("", "wrong", token + "x"):
        at = app(sample, monkeypatch, token=bad)
        assert [e.value for e in at.error] == [zh("wall.refused")]
        assert not at.metric and not at.get("plotly_chart") and not at.dataframe and not at.button
    at = app(sample, monkeypatch, token=token, screen="1")
    assert len(at.metric) == 6
    store = Store.open(sample)
    wall_id = int(walls.listing(store).iloc[0]["wall_id"])
    walls.revoke(store, wall_id, by="test")
    store.close()
    at.run()  # the screen's next tick
    assert [e.value for e in at.error] == [zh("wall.refused")] and not at.metric


def test_a_token_opens_the_wall_only_even_with_users_set_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "users.duckdb"
    store = Store.open(db)
    add_users(store)
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user=ADMIN)
    token = walls.create(store, "大厅", by=ADMIN)[1]
    store.close()
    at = app(db, monkeypatch, token=token, screen="1")
    assert len(at.metric) == 6 and not at.text_input  # no sign-in form
    # the pages this session can reach: the wall (at /wall, and at / as wall.show); any other path leads there
    reachable = list(at._registered_pages.values())
    assert {p["page_name"] for p in reachable} == {zh("page.wall")} and len(reachable) == 2
    assert nav(at) == ["", "wall.py"]
    without = app(db, monkeypatch)  # the same server without the token: the sign-in form
    assert without.text_input(key="signin_name") is not None and not without.metric


def test_an_admin_creates_and_revokes_a_wall_url_on_the_admin_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "admin.duckdb"
    store = Store.open(db)
    add_users(store)
    store.close()
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/admin.py")
    assert zh("wall.none") in [c.value for c in at.caption]
    label_input = next(i for i in at.text_input if i.label == zh("wall.label"))
    label_input.input("三楼大厅")
    next(b for b in at.button if b.label == zh("wall.create")).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [zh("wall.created", label="三楼大厅")]
    (shown,) = at.code
    token = re.search(r"/wall\?token=([A-Za-z0-9_-]+)$", shown.value)[1]
    store = Store.open(db)
    assert walls.admit(store, token) is not None and walls.digest(token) in str(dump(store))
    store.close()
    listed = at.dataframe[[i for i, d in enumerate(at.dataframe) if "wall_label" in d.value][0]].value
    assert listed[["wall_label", "wall_state", "wall_created_by"]].values.tolist() == [["三楼大厅", "使用中", ADMIN]]
    assert token not in str(listed.values.tolist())
    next(b for b in at.button if b.label == zh("wall.revoke")).click().run()
    assert [s.value for s in at.success] == [zh("wall.revoked", label="三楼大厅")]
    assert not at.code  # the URL was shown once
    store = Store.open(db)
    assert walls.admit(store, token) is None
    assert [r["by"] for r in audit_rows(store, "wall_create") + audit_rows(store, "wall_revoke")] == [ADMIN, ADMIN]
    store.close()
    sentences = at.dataframe[-1].value["sentence"].tolist()
    assert "撤销第 1 号大屏网址“三楼大厅”" in sentences and "生成第 1 号大屏网址“三楼大厅”" in sentences


def test_the_wall_reads_todays_default_date_at_every_tick(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RULES §5's default date (the data's latest 截至, never after today), taken again at each tick."""
    from wenming.figures import at as dates

    default_date = dates.default_date
    token = token_for(sample)
    monkeypatch.setattr(dates, "default_date", lambda until, today=None: default_date(until, dt.date(2026, 11, 10)))
    wall = app(sample, monkeypatch, token=token, screen="1")
    assert foot(wall)[2] == "2026-11-10"  # "today" is before the data's 截至 2026-11-20
    overview = app(sample, monkeypatch, as_of="2026-11-10")
    assert [(m.label, m.value, m.delta) for m in wall.metric] == [(m.label, m.value, m.delta) for m in overview.metric]
    monkeypatch.setattr(dates, "default_date", default_date)  # the day changes
    assert foot(wall.run())[2] == "2026-11-20"


def test_a_chart_of_many_rows_gets_text_that_keeps_its_names_apart() -> None:
    import plotly.graph_objects as go

    from wenming.web import wall

    def bars(*names: str) -> go.Figure:
        return go.Figure(go.Bar(x=[1] * len(names), y=list(names), orientation="h"))

    assert wall.room_font(bars("工会", "团委")) == 22  # the room's size when the rows have room
    many = wall.room_font(bars(*[f"部门{i}" for i in range(13)]))
    assert wall.MIN_CHART_FONT <= many < 22
    row = (wall.CHART_HEIGHT - wall.ROOM_MARGINS) / 13
    assert many * 1.25 <= row  # a name's line within its row
    two_lines = wall.room_font(bars(*[f"部门{i}<br>二" for i in range(13)]))
    assert two_lines <= many and (two_lines * 2.5 <= row or two_lines == wall.MIN_CHART_FONT)
    assert wall.room_font(go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))) == 22  # a trend: no rows of names


def test_without_users_an_open_server_shows_no_wall_either(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RULES §7: with no users, a server listening beyond this machine shows nothing; a wall token changes nothing."""
    from streamlit.testing.v1.util import patch_config_options

    token = token_for(sample)
    with patch_config_options({"server.address": "0.0.0.0"}):
        at = app(sample, monkeypatch, token=token, screen="1")
    assert [e.value for e in at.error] == [zh("signin.open_without_users", address="0.0.0.0")]
    assert not at.metric and not at.get("plotly_chart") and zh("wall.refused") not in str(at.error)
