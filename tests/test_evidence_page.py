"""The 佐证材料 page through app.py (AppTest), the bundle it downloads, and coverage on 总览.

Expected numbers come from the evidence queries on the same database, or are worked out by
hand on test_evidence's tiny workbook (items a–e; a and b owed by 办公室).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import dump
from tests.test_evidence import AS_OF, PDF, PNG
from tests.test_pages import SAMPLES, app, metrics, pct, zh
from tests.test_queries import SCORES, TASKS
from tests.workbooks import workbook
from wenming.figures import evidence as bundles
from wenming.figures import summary
from wenming.render import evidence as drawn
from wenming.store import Store, evidence, evidence_sample

SAMPLE_DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample trackers with the sample evidence, as the app's first start makes them."""
    store = Store.open(tmp_path_factory.mktemp("evidence") / "sample.duckdb")
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    evidence_sample.seed(store, "示例数据")
    yield store
    store.close()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.duckdb"
    store = Store.open(path)
    store.import_file(workbook(("任务", TASKS), ("测评", SCORES)), "tiny.xlsx", user="test", as_of=AS_OF)
    store.close()
    return path


def open_page(db: Store | Path, monkeypatch: pytest.MonkeyPatch, as_of: dt.date) -> AppTest:
    return app(db, monkeypatch, "pages/evidence.py", as_of=as_of.isoformat())


def test_page_shows_coverage_per_category_and_item(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    figures = summary.build(sample, SAMPLE_DAY)["evidence"]
    at = open_page(sample, monkeypatch, SAMPLE_DAY)
    assert [x.value for x in at.title] == ["佐证材料"]
    assert metrics(at) == {
        "测评内容": str(figures["items"]),
        "已有佐证": str(figures["with_evidence"]),
        "佐证材料齐全率": pct(figures["coverage"]),
        "文件": str(figures["files"]),
        "链接": str(figures["links"]),
    }
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (chart,) = [s for s in specs if s["layout"]["title"]["text"] == zh("chart.evidence_coverage")]
    bars = chart["data"][0]
    shown = dict(zip(bars["customdata"], bars["text"], strict=True))  # y: names on two lines
    for category, row in figures["by_category"].items():
        assert shown[category].startswith(pct(row["coverage"]))
        assert shown[category].endswith(f"（{row['with_evidence']}/{row['items']}）")
    items = sample.query("evidence_items", as_of=SAMPLE_DAY, snapshot=None, departments=None)
    table = at.dataframe[0].value
    assert table["item"].tolist() == items["item"].tolist()
    assert table["files"].tolist() == items["files"].tolist()
    at.toggle(key="evidence_only_missing").set_value(True).run()
    missing = at.dataframe[0].value
    assert len(missing) == figures["items"] - figures["with_evidence"] and (missing["files"] == 0).all()


def test_overview_and_review_gain_the_coverage(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    figures = summary.build(sample, SAMPLE_DAY)["evidence"]
    at = app(sample, monkeypatch, as_of=SAMPLE_DAY.isoformat())
    assert metrics(at)["佐证材料齐全率"] == pct(figures["coverage"])
    from wenming.figures import review

    built = review.build(sample.query, review.Period.parse("2026-11"), SAMPLE_DAY)
    row = built.headline.set_index("key").loc["evidence_coverage"]
    assert row["now"] == pytest.approx(figures["coverage"])


def test_item_files_preview_and_link(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sample.query("evidence_files", as_of=SAMPLE_DAY, snapshot=None, departments=None)
    items = sample.query("evidence_items", as_of=SAMPLE_DAY, snapshot=None, departments=None)
    with_image = files[files["kind"] == "image"].iloc[0]
    position = items.index[(items["item"] == with_image["item"])][0]
    at = open_page(sample, monkeypatch, SAMPLE_DAY)
    at.selectbox(key="evidence_pick").set_value(int(position)).run()
    assert not at.exception
    here = files[files["item"] == with_image["item"]]
    assert len(at.get("image")) == (here["kind"] == "image").sum()
    assert [b.label for b in at.get("download_button") if b.label == "下载"] == ["下载"] * (
        here["kind"] != "link"
    ).sum()


def upload(at: AppTest, title: str, name: str, data: bytes, mime: str) -> AppTest:
    at.text_input(key="evidence_title").input(title)
    at.file_uploader(key="evidence_file").upload(name, data, mime)
    return at.button[-1].click().run()  # the form's 保存


def test_upload_on_the_page_counts_toward_coverage(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(tiny, monkeypatch, AS_OF)
    assert metrics(at)["佐证材料齐全率"] == "0.0%"
    at = upload(at, "学雷锋会议纪要", "纪要.pdf", PDF, "application/pdf")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [zh("evidence.added", item="a")]
    assert metrics(at)["佐证材料齐全率"] == "20.0%" and metrics(at)["文件"] == "1"
    # the PDF's preview needs a server to serve the file: tests/test_evidence_browser.py
    store = Store.open(tiny)
    try:
        row = evidence.records(store).iloc[0]
        assert (row["item"], row["title"], row["kind"], row["department"]) == ("a", "学雷锋会议纪要", "pdf", "办公室")
    finally:
        store.close()


def test_hostile_upload_on_the_page_is_one_sentence(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tiny)
    before = dump(store)
    store.close()
    at = open_page(tiny, monkeypatch, AS_OF)
    at = upload(at, "通知", "通知.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    assert not at.exception
    assert [e.value for e in at.error] == [zh("refused.sentence", file="通知.pdf", reason=zh("refused.evidence_html"))]
    store = Store.open(tiny)
    try:
        assert dump(store) == before
    finally:
        store.close()


def test_admin_removes_with_a_reason(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tiny)
    evidence.add_file(store, PNG, "照片.png", item="a", title="现场照片", user="u", dated=AS_OF)
    store.close()
    at = open_page(tiny, monkeypatch, AS_OF)
    assert metrics(at)["文件"] == "1"
    at.text_input(key="evidence_1_reason").input("传错了").run()
    at.button(key="evidence_1_remove").click().run()
    assert [s.value for s in at.success] == [zh("evidence.removed")]
    assert metrics(at)["文件"] == "0"


# ---------------------------------------------------------------- the bundle


def test_bundle_is_ordered_and_indexed(sample: Store) -> None:
    bundle = bundles.build(sample.query, SAMPLE_DAY)
    files = sample.query("evidence_files", as_of=SAMPLE_DAY, snapshot=None, departments=None)
    assert len(bundle.entries) == len(files) and len(bundle.files) == (files["kind"] != "link").sum()

    def read(stored_as: str) -> bytes | None:
        path = evidence.file_path(sample, stored_as)
        return path.read_bytes() if path else None

    with zipfile.ZipFile(io.BytesIO(drawn.zip_bytes(bundle, read))) as archive:
        names = archive.namelist()
        assert names[-2:] == [drawn.INDEX_XLSX, drawn.INDEX_HTML]
        folders = [n.rsplit("/", 1)[0] for n in names[:-2]]
        assert folders == sorted(folders)  # 01_测评项目/01_测评内容, in the scoring sheet's order
        first = bundle.files[0]
        assert first.path.startswith(f"01_{first.category}/")
        import hashlib

        for entry in bundle.files:  # every file is the stored one, under a readable name
            assert hashlib.sha256(archive.read(entry.path)).hexdigest() == entry.sha256
            assert ".." not in entry.path and "\\" not in entry.path
        book = openpyxl.load_workbook(io.BytesIO(archive.read(drawn.INDEX_XLSX)))
        sheet = book[zh("evidence.index_files")]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(bundle.entries)
        header = [c.value for c in sheet[1]]
        by = dict(zip(header, rows[0], strict=True))
        assert by[zh("col.item")] == first.item and by[zh("col.sha256")] == first.sha256
        assert by[zh("col.path")] == first.path and by[zh("col.department")] == first.department
        index = archive.read(drawn.INDEX_HTML).decode("utf-8")
        from urllib.parse import quote

        assert all(f'href="{quote(e.path)}"' in index for e in bundle.files)
        missing = bundle.items[~bundle.items["has_evidence"]]
        assert index.count("class='missing'") == len(missing)


def test_bundle_escapes_what_users_typed(tiny: Path) -> None:
    store = Store.open(tiny)
    try:
        evidence.add_file(store, PDF, "纪要.pdf", item="a", title='<script>alert("x")</script>/../报告', user="u")
        bundle = bundles.build(store.query, AS_OF)
        page = drawn.index_html(bundle)
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert bundle.files[0].path.count("/") == 2 and ".." not in bundle.files[0].path
    finally:
        store.close()
