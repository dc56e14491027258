"""A poisoned workbook: text that is Markdown, HTML or a link in every place a user can put text (file name,
sheet names, department names, cells, the URL). Every page, chart, report and export shows it as text."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tests.access import ADMIN, PASSWORD, sign_in
from tests.workbooks import workbook
from wenming.figures import review
from wenming.render import charts, export, report, safe
from wenming.store import Store, auth
from wenming.text import t

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AS_OF = dt.date(2026, 10, 31)
HOST = "evil.example"
LINK = f"[重新登录](http://{HOST}/login)"
IMAGE = f"![s](http://{HOST}/img.png)"
TAGS = f'<a href="http://{HOST}/phish">请点此重新登录</a><b style="font-size:90px;color:red">大</b><img src="http://{HOST}/t.png">'
BARE = f"http://{HOST}/bare www.{HOST} spy@{HOST}"
FILE_NAME = f"{IMAGE}{LINK}.xlsx"
DEPARTMENT = f'办公室<a href="http://{HOST}/d">部</a>'
OTHER = f"[工会](http://{HOST}/u)"
GUESSED = f"[x](http://{HOST}/n)"
# sheet names Excel itself would refuse, written into the file's workbook.xml as the probe did
SHEET_NAMES = {"S1": f"{IMAGE}{LINK}", "S2": TAGS[:60], "S3": f"说明{LINK}"}
PAGES = (
    "pages/overview.py",
    "pages/tasks.py",
    "pages/overdue.py",
    "pages/scores.py",
    "pages/participation.py",
    "pages/review.py",
    "pages/upload.py",
    "pages/history.py",
    "pages/admin.py",
)


def poisoned_book() -> bytes:
    tasks = [
        ["测评项目", "工作任务", "牵头部门", "完成时限", "完成情况"],
        [TAGS, LINK + "任务一", DEPARTMENT, "2026-06-30", "推进中"],
        [IMAGE, BARE, OTHER, "2026-12-31", "已完成"],
    ]
    scores = [["测评项目", "测评内容", "分值", "得分", "责任部门"], [LINK, TAGS, 10, 6, DEPARTMENT]]
    issues = [["存在问题", "责任部门", "整改时限", "整改情况"], [TAGS + BARE, OTHER, "2026-09-30", "整改中"]]
    activities = [
        ["活动名称", "活动类型", "组织部门", "活动日期", "参加人数"],
        [LINK, TAGS, DEPARTMENT, "2026-10-10", 12],
        [IMAGE, "<i>志愿服务</i>", OTHER, "2026-09-10", 8],
    ]
    headcount = [["部门", "在职人数"], [DEPARTMENT, 20], [OTHER, 10]]
    data = workbook(
        ("S1", tasks), ("S2", scores), ("问题", issues), ("活动", activities), ("人数", headcount),
        ("S3", [["随便写的说明"], [BARE]]),
    )  # fmt: skip
    return _rename_sheets(data, SHEET_NAMES)


def _rename_sheets(data: bytes, names: dict[str, str]) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = content.decode()
                for old, new in names.items():
                    escaped = new.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
                    text = text.replace(f'name="{old}"', f'name="{escaped}"')
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("poison") / "poison.duckdb"
    store = Store.open(path)
    auth.add_user(store, ADMIN, "admin", password=PASSWORD)
    result = store.import_file(poisoned_book(), FILE_NAME, user=ADMIN, as_of=AS_OF)
    assert set(result.rows) == {"tasks", "scores", "issues", "activities", "headcount"}
    for _ in range(auth.MAX_FAILURES):  # a name typed at sign-in, locked: on the admin page with an unlock
        auth.sign_in(store, GUESSED, "guess", address="10.0.0.66")
    store.close()
    return path


# ---------------------------------------------------------------- what counts as markup


MARKDOWN = MarkdownIt("commonmark")
# GFM's bare autolinks, which CommonMark lacks; Streamlit finds them in the text after escapes are resolved
AUTOLINK = re.compile(r"https?://|www\.|[-.\w+]+@[-\w]+\.", re.I)


def markup_in_markdown(body: str) -> list[str]:
    """Links, images, raw HTML or autolinks a Markdown renderer would make of ``body``."""
    found = []
    for token in MARKDOWN.parseInline(body):
        for child in token.children or []:
            if child.type in ("link_open", "image", "html_inline"):
                found.append(child.type)
    found += [f"autolink {m[0]}" for m in AUTOLINK.finditer(re.sub(r"\\(.)", r"\1", body))]
    return found


TAG = re.compile(r"<(?!br>|extra>|/extra>)/?[a-zA-Z]")  # our own hover templates use <br> and <extra>


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        # customdata is never drawn (no hover template shows it): it keeps the names for clicks
        assert "%{customdata" not in str(value.get("hovertemplate", ""))
        return [s for key, v in value.items() if key not in ("hovertemplate", "customdata") for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def shown_texts(at: AppTest) -> list[str]:
    """Every Markdown text on the page: bodies, and the help tooltips of captions."""
    elements = [
        *at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success, *at.title, *at.subheader,
        *at.sidebar.markdown, *at.sidebar.caption,
    ]  # fmt: skip
    texts = [e.value for e in elements]
    texts += [e.proto.help for e in at.caption if e.proto.help]
    return texts


def signed_in(db: Path, monkeypatch: pytest.MonkeyPatch, **url: str) -> AppTest:
    monkeypatch.setenv("WENMING_DB", str(db))
    monkeypatch.setenv("WENMING_SAMPLES", "0")
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in url.items():
        at.query_params[key] = value
    at = sign_in(at.run(), ADMIN)
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------- the pages


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_workbook_text_as_markup(poisoned: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = signed_in(poisoned, monkeypatch, as_of=AS_OF.isoformat(), dept=DEPARTMENT)
    at.switch_page(page).run()
    if page == "pages/upload.py":  # the preview of the same file, uploaded again
        at.file_uploader[0].upload(FILE_NAME, poisoned_book(), XLSX).run()
    if page == "pages/admin.py":  # the sentence of an unlock names the user name as typed
        next(b for b in at.button if b.label == t("admin.unlock", "zh")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    texts = shown_texts(at)
    cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert any(HOST in text for text in texts + cells), "the poison is on the page (else this test proves nothing)"
    for text in texts:
        assert markup_in_markdown(text) == [], text
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        for text in strings(spec["data"]) + strings(spec["layout"]):
            assert not TAG.search(text), text


def test_the_chart_of_categories_shows_the_tags_as_text(poisoned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(poisoned, monkeypatch, as_of=AS_OF.isoformat())
    at.switch_page("pages/tasks.py").run()
    labels = [
        y for e in at.get("plotly_chart") for trace in json.loads(e.proto.spec)["data"] for y in trace.get("y", [])
    ]
    assert safe.plotly(TAGS) in labels  # shown as "<a href=…>…" in letters, not as a link
    clicks = [
        c
        for e in at.get("plotly_chart")
        for trace in json.loads(e.proto.spec)["data"]
        for c in trace.get("customdata", [])
    ]
    assert TAGS in clicks  # a click still filters by the name as written


def test_the_provenance_line_names_the_file_as_text(poisoned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(poisoned, monkeypatch, as_of=AS_OF.isoformat())
    (line,) = [c.value for c in at.caption if HOST in c.value and "任务分解" in c.value]
    assert safe.markdown(FILE_NAME) in line and FILE_NAME not in line


# ---------------------------------------------------------------- the report, slides and exports


@pytest.fixture(scope="module")
def shown_review(poisoned: Path) -> review.Review:
    store = Store.open(poisoned)
    try:
        yield review.build(store.query, review.Period.parse("2026-10"), AS_OF)
    finally:
        store.close()


def test_the_report_holds_no_live_link_image_or_tag(shown_review: review.Review) -> None:
    page = report.render(shown_review)
    assert HOST in page  # the text is there, as text
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # plotly.js, and the figures checked below
    assert HOST in markup and not re.search(r"<(a|img|b|i)[\s>]", markup)
    figures = re.findall(r"Plotly\.newPlot\([^,]+,\s*(\[.*?\]),\s*\{", page, re.S)
    assert figures
    for data in figures:
        for text in strings(json.loads(data)):
            assert not TAG.search(text), text


def test_exports_hold_text_never_links_or_formulas(shown_review: review.Review) -> None:
    departments = shown_review.departments["department"].tolist()
    books = [export.review_workbook(shown_review), *(export.supervision_sheet(shown_review, d) for d in departments)]
    found = []
    for data in books:
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.hyperlink is None and cell.data_type != "f"
                    if isinstance(cell.value, str) and HOST in cell.value:
                        found.append(cell.value)
    assert found and safe.cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_every_chart_escapes_its_labels() -> None:
    frame = pd.DataFrame({"department": [TAGS, None], "completion_rate": [0.5, 1.0], "done": [1, 2], "total": [2, 2]})
    bars = charts.completion_by_department(frame).data[0]
    # the name on two lines (the one tag kept is that line break), every tag of the text escaped
    assert list(bars.y) == [
        charts._plain(charts.two_lines(TAGS, charts.NAME_WIDTH)),
        charts.missing_label("department"),
    ]
    assert "<a " not in bars.y[0] and "<b " not in bars.y[0] and "<img" not in bars.y[0]
    assert list(bars.hovertext) == [safe.plotly(TAGS), charts.missing_label("department")]
    assert list(bars.customdata) == [TAGS, charts.missing_label("department")]
