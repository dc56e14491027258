"""A realistic, partial set of 佐证材料 for the sample data: meeting minutes (PDF), photos (PNG),
说明报告 (Word), 台账 (Excel) and links, attached to about two thirds of the 测评内容.

The demo starts on sample trackers; without evidence the 佐证材料 page would show nothing
but gaps. The files are small and made here, deterministically (the same item always gets
the same files), and go through the real ``evidence.add_file`` checks like any upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zipfile
import zlib

import openpyxl

from wenming.store import evidence
from wenming.store.db import Database

SHARE = 0.65  # of the items get evidence; the rest stay gaps for the 创建办 to chase
FIRST_DAY = dt.date(2026, 3, 2)
LAST_DAY = dt.date(2026, 11, 18)  # before the sample trackers' 截至 date, 2026-11-20
_FIXED = (2026, 11, 18, 0, 0, 0)  # zip timestamps, so the same item always gets the same bytes


def _number(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def seed(store: Database, user: str) -> int:
    """Attach the sample evidence to the items of the scoring sheet in force; returns how many records.

    Does nothing when the store already holds evidence or has no scoring items.
    """
    if store._scalar("select count(*) from evidence"):
        return 0
    items = store.con.execute(
        "select category, item, owed, scored_department from evidence_items(current_date)"
        " order by first_load, first_row"
    ).fetchall()
    added = 0
    span = (LAST_DAY - FIRST_DAY).days
    for category, item, owed, scored in items:
        pick = _number(str(category), item)
        if pick % 100 >= SHARE * 100:
            continue
        department = (list(owed or []) or [scored])[0]
        dated = FIRST_DAY + dt.timedelta(days=pick % span)
        for kind in _kinds(pick):
            title, name, data = _document(kind, str(category), item, department, dated)
            if kind == "link":
                evidence.add_link(
                    store, data.decode(), item=item, category=category, title=title, user=user,
                    department=department, dated=dated,
                )  # fmt: skip
            else:
                evidence.add_file(
                    store, data, name, item=item, category=category, title=title, user=user,
                    department=department, dated=dated,
                )  # fmt: skip
            added += 1
    return added


def _kinds(pick: int) -> list[str]:
    """One to three pieces of evidence per item: minutes first, then a photo, a report, a ledger or a link."""
    first = ("pdf", "image", "word", "pdf", "excel")[pick % 5]
    more = ("image", "link", "word", "pdf")[(pick // 5) % 4]
    count = 1 + (pick // 20) % 3
    return list(dict.fromkeys([first, more, "link"]))[:count]


def _document(kind: str, category: str, item: str, department: str | None, dated: dt.date) -> tuple[str, str, bytes]:
    """(title, file name, bytes) of one sample document."""
    who = department or "创建办"
    short = item[:24]
    if kind == "pdf":
        return f"{who}关于“{short}”的会议纪要", "会议纪要.pdf", pdf([f"{who} 会议纪要", short, dated.isoformat()])
    if kind == "image":
        return f"{short}——活动现场照片", "现场照片.png", png(_number(item, "png"))
    if kind == "word":
        return f"{short}——情况说明报告", "说明报告.docx", docx(f"关于“{item}”的情况说明", who, dated)
    if kind == "excel":
        return f"{short}——工作台账", "工作台账.xlsx", xlsx(item, who, dated)
    return f"{short}——信息报道", "", f"https://www.wenming.cn/sample/{_number(item, 'link') % 100000}.html".encode()


# ---------------------------------------------------------------- tiny real files


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF of a few lines, in the standard Chinese font every PDF reader has (STSong-Light)."""
    text = "".join(
        f"BT /F1 {18 if i == 0 else 12} Tf 60 {760 - 36 * i} Td <{line.encode('utf-16-be').hex()}> Tj ET\n"
        for i, line in enumerate(lines)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png(pick: int, width: int = 240, height: int = 160) -> bytes:
    """A small picture: a sky, a red banner and a crowd of coloured dots (a 'photo' of an activity)."""
    banner = (200, 30 + pick % 40, 30)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if 20 <= y < 44 and 30 <= x < width - 30:
                pixel = banner
            elif y < 90:
                pixel = (150 + y // 2, 190 + y // 3, 235)
            else:
                spot = _number(str(pick), str(x // 8), str(y // 8)) % 7
                pixel = ((60 + 30 * spot) % 256, (90 + 20 * spot) % 256, (70 + 25 * spot) % 256)
            row += bytes(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, _FIXED), body.encode(), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx(title: str, department: str, dated: dt.date) -> bytes:
    """A minimal Word document: a title and two paragraphs."""
    from xml.sax.saxutils import escape

    paragraphs = [title, f"报送部门：{department}", f"日期：{dated:%Y年%m月%d日}", "（示例材料）"]
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
            "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
            "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{main}"><w:body>{body}</w:body></w:document>',
        }
    )


def xlsx(item: str, department: str, dated: dt.date) -> bytes:
    """A small 工作台账: what was done for the item, by whom, when."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工作台账"
    sheet.append([f"“{item}”工作台账"])
    sheet.append(["序号", "工作内容", "责任部门", "完成日期"])
    for number in range(1, 4):
        sheet.append([number, f"{item[:16]}（第{number}项）", department, dated - dt.timedelta(days=30 * (3 - number))])
    book.properties.created = book.properties.modified = dt.datetime(*_FIXED)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
