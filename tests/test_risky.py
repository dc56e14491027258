"""Risky content flagged (issue 17): macros, external links (UNC), DDE and OLE objects are named in the preview,
the history and before an admin downloads the original."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.access import ADMIN, OFFICE_BOOK, XLSX, database, signed_in_app
from wenming.read import risky
from wenming.store import Store
from wenming.text import t

LINK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"'
    ' Target="file:///\\\\fileserver\\share\\汇总.xlsx" TargetMode="External"/></Relationships>'
)
DDE_LINK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
)


def with_members(data: bytes, members: dict[str, bytes | str]) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


RISKY_BOOK = with_members(
    OFFICE_BOOK,
    {
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros",
        "xl/externalLinks/externalLink1.xml": DDE_LINK,
        "xl/externalLinks/_rels/externalLink1.xml.rels": LINK_RELS,
        "xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 object",
    },
)


def codes(data: bytes) -> list[str]:
    return risky.scan(zipfile.ZipFile(io.BytesIO(data)))


def test_each_kind_of_active_content_is_found() -> None:
    assert codes(OFFICE_BOOK) == []
    assert codes(RISKY_BOOK) == ["macros", "external_links", "unc", "dde", "ole"]
    only_link = with_members(OFFICE_BOOK, {"xl/externalLinks/externalLink1.xml": "<externalLink/>"})
    assert codes(only_link) == ["external_links"]


def test_the_import_keeps_the_data_and_records_the_risks(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "risky.duckdb")
    result = store.import_file(RISKY_BOOK, "带宏.xlsm", user="test")
    assert result.rows == {"tasks": 2}
    assert [w.code for w in result.warnings][:5] == [f"risk_{c}" for c in codes(RISKY_BOOK)]
    assert store.import_risks(result.import_id) == ["macros", "external_links", "unc", "dde", "ole"]
    store.close()


def test_the_preview_names_the_risks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in_app(database(tmp_path), monkeypatch, ADMIN, "pages/upload.py")
    at.file_uploader[0].upload("带宏.xlsm", RISKY_BOOK, XLSX).run()
    (warning,) = [w.value for w in at.warning if "Excel" in w.value]
    assert "带宏" in warning and "DDE" in warning and "VBA" in warning


def test_an_admin_is_warned_before_downloading_a_risky_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = database(tmp_path)
    store = Store.open(db)
    store.import_file(RISKY_BOOK, "带宏.xlsm", user=ADMIN)
    store.close()
    at = signed_in_app(db, monkeypatch, ADMIN, "pages/history.py")  # the newest import is picked
    listed = " ".join(t(f"warn.risk_{code}", "zh") for code in ("macros", "external_links", "unc", "dde", "ole"))
    assert [w.value for w in at.warning] == [t("history.risky", "zh", risks=listed).replace("\\", "\\\\")]
    assert at.get("download_button")
    at.selectbox(key="history_pick").select(1).run()  # the plain tracker: no warning
    assert not at.warning and at.get("download_button")
