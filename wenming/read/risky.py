"""Content of a workbook that acts when the file is opened in Excel: macros, links to other files, DDE, OLE.

The dashboard never runs any of it (it reads cell values only), but it keeps the original
and an admin may download it and open it in Excel. So such content is named: in the
preview and the history (a warning of the whole workbook, code ``risk_*``), and before
the download of the original. Only the zip's list of members and the small parts that
describe external links are read; cells are not searched for DDE formulas.
"""

from __future__ import annotations

import io
import re
import zipfile

MAX_PART = 1024 * 1024  # bytes of one external-link part read at most (Excel writes a few KB)
UNC = re.compile(rb"""Target="(?:file:///?)?(?:\\\\|//)[^"]+\"""", re.I)


def scan_file(data: bytes) -> list[str]:
    """``scan`` of a workbook's bytes: a zip package (.xlsx, .xlsm) is looked into; other formats hold no such parts."""
    if not data.startswith(b"PK"):
        return []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return scan(archive)


def scan(archive: zipfile.ZipFile) -> list[str]:
    """The kinds of active content in the workbook, in a fixed order: macros, external_links, unc, dde, ole."""
    names = [info.filename for info in archive.infolist()]
    lower = [name.lower() for name in names]
    found = []
    if any(name.endswith("vbaproject.bin") for name in lower):
        found.append("macros")
    links = [info for info in archive.infolist() if info.filename.lower().startswith("xl/externallinks/")]
    if links:
        found.append("external_links")
    parts = [archive.read(info) for info in links if info.file_size <= MAX_PART]
    if any(UNC.search(part) for part in parts):
        found.append("unc")
    if any(b"<ddeLink" in part for part in parts):
        found.append("dde")
    if any(name.startswith(("xl/embeddings/", "xl/activex/")) for name in lower) or any(
        b"<oleLink" in part for part in parts
    ):
        found.append("ole")
    return found
