"""佐证材料 in the store (docs/RULES.md §7): what is accepted, what is refused, rights, removal, coverage.

The tiny workbook is test_queries' SCORES and TASKS: items a, b (学雷锋), c, d (道德讲堂) and the
bonus item e (特色创建); the tasks name only their 测评项目, so a and b are owed by 办公室, c and d
by 办公室 and 研究室 (T3 办公室, T4 T5 研究室), e by nobody.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import dump
from tests.test_queries import SCORES, TASKS
from tests.workbooks import workbook
from wenming.read.guard import MB, Refused
from wenming.store import Store, auth, evidence, evidence_sample
from wenming.text import t

AS_OF = dt.date(2025, 10, 31)
PDF = evidence_sample.pdf(["会议纪要", "2025-10-01"])
PNG = evidence_sample.png(7)
DOCX = evidence_sample.docx("情况说明", "办公室", AS_OF)


@pytest.fixture
def loaded(store: Store) -> Store:
    store.import_file(workbook(("任务", TASKS), ("测评", SCORES)), "tiny.xlsx", user="test", as_of=AS_OF)
    return store


def summary(store: Store, as_of: dt.date = AS_OF, snapshot: dt.date | None = None) -> dict:
    row = store.query("evidence_summary", as_of=as_of, snapshot=snapshot, departments=None).iloc[0]
    return {k: (None if row[k] != row[k] else row[k]) for k in ("items", "with_evidence", "coverage", "files", "links")}


def items(store: Store, as_of: dt.date = AS_OF, departments: list[str] | None = None) -> dict[str, dict]:
    frame = store.query("evidence_items", as_of=as_of, snapshot=None, departments=departments)
    return {r["item"]: r for r in frame.to_dict("records")}


def refusal(error: pytest.ExceptionInfo[Refused], code: str, **params: object) -> str:
    return t("refused.sentence", "zh", file=error.value.file_name, reason=t(f"refused.{code}", "zh", **params))


def bomb_docx() -> bytes:
    """A .docx whose one member unpacks 64 MB of zeros from about 64 KB: ratio ~1000."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document/>" + b" " * (64 * MB))
    return out.getvalue()


# ---------------------------------------------------------------- coverage


def test_coverage_counts_items_with_evidence_on_the_date(loaded: Store) -> None:
    assert summary(loaded) == {"items": 5, "with_evidence": 0, "coverage": 0.0, "files": 0, "links": 0}
    evidence.add_file(loaded, PDF, "纪要.pdf", item="a", title="学雷锋会议纪要", user="u", dated=dt.date(2025, 10, 1))
    evidence.add_link(
        loaded,
        "https://example.cn/c",
        item="c",
        title="报道",
        user="u",
        department="研究室",
        dated=dt.date(2025, 11, 5),
    )
    evidence.add_file(loaded, PNG, "照片.png", item="e", title="现场照片", user="u")  # no date: counts now
    # on 10-31: a and e (the link to c is dated 11-05)
    assert summary(loaded) == {"items": 5, "with_evidence": 2, "coverage": 0.4, "files": 2, "links": 0}
    assert summary(loaded, dt.date(2025, 11, 10)) == {
        "items": 5,
        "with_evidence": 3,
        "coverage": 0.6,
        "files": 2,
        "links": 1,
    }
    # one date: an undated file counts at every date (it is there for the inspection), a dated one from its date
    assert summary(loaded, dt.date(2025, 1, 1))["with_evidence"] == 1
    by_category = loaded.query("evidence_by_category", as_of=AS_OF, snapshot=None, departments=None)
    assert by_category[["category", "items", "with_evidence", "coverage"]].values.tolist() == [
        ["学雷锋", 2, 1, 0.5],
        ["道德讲堂", 2, 0, 0.0],
        ["特色创建", 1, 1, 1.0],
    ]


def test_items_name_the_departments_that_owe_evidence(loaded: Store) -> None:
    evidence.add_link(
        loaded,
        "https://example.cn/c",
        item="c",
        title="报道",
        user="u",
        department="研究室",
        dated=dt.date(2025, 10, 5),
    )
    shown = items(loaded)
    assert list(shown) == ["a", "b", "c", "d", "e"]  # the scoring sheet's order
    assert shown["a"]["owed_by"] == "办公室" and shown["a"]["missing_from"] == "办公室"
    assert shown["c"]["owed_by"] == "办公室、研究室"
    assert shown["c"]["supplied_by"] == "研究室" and shown["c"]["missing_from"] == "办公室"
    assert shown["e"]["owed_by"] == "" and not shown["e"]["has_evidence"]
    # a department's view: the items its tasks owe (e has no task; d has no 责任部门 but 研究室 tasks)
    assert list(items(loaded, departments=["研究室"])) == ["b", "c", "d"]


def test_summary_json_gains_evidence(loaded: Store) -> None:
    from wenming.figures import summary as summary_mod

    evidence.add_file(loaded, PDF, "纪要.pdf", item="a", title="纪要", user="u", dated=dt.date(2025, 10, 1))
    figures = summary_mod.build(loaded, AS_OF)["evidence"]
    assert figures["items"] == 5 and figures["with_evidence"] == 1 and figures["coverage"] == pytest.approx(0.2)
    assert figures["by_category"]["学雷锋"] == {"items": 2, "with_evidence": 1, "coverage": 0.5}
    assert figures["by_category"]["特色创建"] == {"items": 1, "with_evidence": 0, "coverage": 0.0}


# ---------------------------------------------------------------- storing


def test_a_file_is_archived_under_its_sha256_and_logged(loaded: Store) -> None:
    version = loaded.version()
    added = evidence.add_file(
        loaded, DOCX, "说明报告.docx", item="b", title="说明", user="张伟", department="办公室", linked_to="T1"
    )
    row = evidence.records(loaded).iloc[0]
    assert (row["evidence_id"], row["kind"], row["file_name"], row["linked_to"]) == (
        added.evidence_id,
        "word",
        "说明报告.docx",
        "T1",
    )
    stored = evidence.file_path(loaded, row["stored_as"])
    assert stored == loaded.archive / f"{row['sha256']}.docx" and stored.read_bytes() == DOCX
    assert loaded.version() == version + 1
    log = auth.audit_log(loaded)
    assert log.iloc[0]["action"] == "evidence_add" and log.iloc[0]["user_name"] == "张伟"
    again = evidence.add_file(loaded, DOCX, "copy.docx", item="b", title="说明", user="张伟")
    assert again.duplicate and again.evidence_id == added.evidence_id and len(evidence.records(loaded)) == 1


def test_remove_marks_and_keeps_the_file(loaded: Store) -> None:
    added = evidence.add_file(loaded, PDF, "纪要.pdf", item="a", title="纪要", user="u", dated=dt.date(2025, 10, 1))
    path = evidence.file_path(loaded, evidence.records(loaded).iloc[0]["stored_as"])
    with pytest.raises(Refused) as no_reason:
        evidence.remove(loaded, added.evidence_id, user="admin", reason=" ")
    assert no_reason.value.code == "evidence_reason"
    evidence.remove(loaded, added.evidence_id, user="admin", reason="传错了文件")
    assert evidence.records(loaded).empty
    kept = evidence.records(loaded, removed=True).iloc[0]
    assert (kept["removed_by"], kept["removed_why"]) == ("admin", "传错了文件")
    assert path is not None and path.is_file()  # nothing is deleted
    assert summary(loaded)["with_evidence"] == 0
    assert auth.audit_log(loaded).iloc[0]["action"] == "evidence_remove"
    with pytest.raises(Refused) as twice:
        evidence.remove(loaded, added.evidence_id, user="admin", reason="再删")
    assert twice.value.code == "evidence_unknown"


def test_unknown_or_ambiguous_item_is_refused(loaded: Store) -> None:
    with pytest.raises(Refused) as unknown:
        evidence.add_file(loaded, PDF, "纪要.pdf", item="没有这一条", title="纪要", user="u")
    assert unknown.value.message("zh") == refusal(unknown, "evidence_item", item="没有这一条")
    assert evidence.records(loaded).empty


# ---------------------------------------------------------------- rights


@pytest.fixture
def users(loaded: Store) -> Store:
    auth.add_user(loaded, "管理员", "admin", password="correct horse")
    auth.add_user(loaded, "张伟", "staff", ["办公室"], password="correct horse")
    auth.add_user(loaded, "王局", "leader", password="correct horse")
    return loaded


def test_rights_are_checked_by_the_store(users: Store) -> None:
    before = dump(users)
    with pytest.raises(auth.Forbidden) as other:
        evidence.add_file(users, PDF, "纪要.pdf", item="c", title="纪要", user="张伟", department="研究室")
    assert other.value.message("zh") == refusal(
        other, "forbidden_evidence_departments", user="张伟", allowed="办公室", department="研究室"
    )
    with pytest.raises(auth.Forbidden) as leader:
        evidence.add_link(users, "https://example.cn", item="a", title="报道", user="王局")
    assert leader.value.code == "forbidden_evidence_leader"
    with pytest.raises(auth.Forbidden):
        evidence.add_file(users, PDF, "纪要.pdf", item="a", title="纪要", user="不存在")
    assert dump(users) == before
    mine = evidence.add_file(users, PDF, "纪要.pdf", item="c", title="纪要", user="张伟")  # his only department
    assert evidence.records(users).iloc[0]["department"] == "办公室"
    with pytest.raises(auth.Forbidden) as staff_removes:
        evidence.remove(users, mine.evidence_id, user="张伟", reason="不要了")
    assert staff_removes.value.code == "forbidden_evidence_remove"
    evidence.remove(users, mine.evidence_id, user="管理员", reason="重复")
    assert evidence.records(users).empty


# ---------------------------------------------------------------- hostile attachments


HOSTILE = {
    "html_as_pdf": ("通知.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "evidence_html", {}),
    "executable": ("照片.exe", b"MZ\x90\x00" + b"\x00" * 200, "evidence_type", {}),
    "executable_as_pdf": ("纪要.pdf", b"MZ\x90\x00" + b"\x00" * 200, "evidence_executable", {}),
    "script_as_png": ("照片.png", b"#!/bin/sh\nrm -rf /\n", "evidence_executable", {}),
    "svg": ("图.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "evidence_html", {}),
    "zip_bomb_as_docx": ("说明.docx", None, "evidence_bomb", {}),
    "oversized": ("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (50 * MB), "evidence_too_large", {"limit_mb": 50}),
    "path_in_name": ("../../etc/纪要.pdf", PDF, "evidence_name", {}),
    "backslash_in_name": ("..\\纪要.pdf", PDF, "evidence_name", {}),
    "empty": ("纪要.pdf", b"", "evidence_empty", {}),
    "picture_as_pdf": ("纪要.pdf", PNG, "evidence_mismatch", {"suffix": ".pdf", "actual": "图片"}),
    "workbook_as_docx": ("说明.docx", evidence_sample.xlsx("a", "办公室", AS_OF), "evidence_mismatch", None),
    "plain_zip": ("说明.docx", None, "evidence_type", {}),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_attachments_are_refused_with_one_sentence(loaded: Store, case: str) -> None:
    name, data, code, params = HOSTILE[case]
    if case == "zip_bomb_as_docx":
        data = bomb_docx()
    elif case == "plain_zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("readme.txt", "hello")
        data = out.getvalue()
    before, archive = dump(loaded), sorted(loaded.archive.iterdir())
    with pytest.raises(Refused) as refused:
        evidence.add_file(loaded, data, name, item="a", title="材料", user="u")
    assert refused.value.code == code
    if params is not None:
        assert refused.value.message("zh") == refusal(refused, code, **params)
    sentence = refused.value.message("zh")
    assert sentence.count("。") <= 1 and "\n" not in sentence and "Traceback" not in sentence
    assert dump(loaded) == before and sorted(loaded.archive.iterdir()) == archive


def test_a_macro_document_and_a_javascript_link_are_refused(loaded: Store) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, source.read(info))
        z.writestr("word/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(Refused) as macro:
        evidence.add_file(loaded, out.getvalue(), "说明.docx", item="a", title="说明", user="u")
    assert macro.value.code == "evidence_macro"
    with pytest.raises(Refused) as link:
        evidence.add_link(loaded, "javascript:alert(1)", item="a", title="报道", user="u")
    assert link.value.code == "evidence_url"
    assert evidence.records(loaded).empty


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("纪要.PDF", PDF, "pdf"),
        ("照片.png", PNG, "image"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "image"),
        ("照片.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
        ("说明.docx", DOCX, "word"),
        ("台账.xlsx", evidence_sample.xlsx("a", "办公室", AS_OF), "excel"),
        ("旧文档.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "word"),
    ],
)
def test_accepted_kinds_by_content(name: str, data: bytes, kind: str) -> None:
    assert evidence.check_file(data, name) == (kind, Path(name).suffix.lower())


def test_sample_evidence_is_a_realistic_partial_set(tmp_path: Path) -> None:
    from tests.test_pages import SAMPLES

    store = Store.open(tmp_path / "sample.duckdb")
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    added = evidence_sample.seed(store, "示例数据")
    figures = summary(store, dt.date(2026, 11, 20))
    assert added == figures["files"] + figures["links"] and figures["links"] > 0
    assert 0.4 < figures["coverage"] < 0.8  # some gaps left for the 创建办 to chase
    kinds = set(evidence.records(store)["kind"])
    assert kinds == {"pdf", "image", "word", "excel", "link"}
    assert evidence_sample.seed(store, "示例数据") == 0  # only once
    store.close()
