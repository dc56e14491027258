"""Checks a file must pass before any parser reads it (WORKBOOKS.md §6).

A failed check raises ``Refused`` with a message code; ``wenming.text`` turns it
into one sentence naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from wenming import text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Limits:
    """Size limits for one uploaded file; the defaults fit a province's largest tracker."""

    file_bytes: int = 200 * 1024 * 1024
    unpacked_bytes: int = 2 * 1024 * 1024 * 1024  # all zip members together
    member_ratio: int = 200  # unpacked / packed for any one member
    rows: int = 1_100_000  # per sheet: Excel's 1,048,576 and a little room


DEFAULT_LIMITS = Limits()


class Refused(Exception):
    """A file the import will not read, with the reason as a message code and its parameters."""

    def __init__(self, file_name: str, code: str, **params: object) -> None:
        super().__init__(file_name, code)
        self.file_name = file_name
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        reason = text.t(f"refused.{self.code}", lang, **self.params)
        return text.t("refused.sentence", lang, file=self.file_name, reason=reason)

    def __str__(self) -> str:
        return self.message()


def check_file(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse what is not a readable, reasonably sized .xlsx/.xlsm workbook."""
    lower = file_name.lower()
    if lower.endswith(".xls"):
        raise Refused(file_name, "xls")
    if not lower.endswith(EXCEL_SUFFIXES):
        raise Refused(file_name, "suffix")
    if len(data) == 0:
        raise Refused(file_name, "empty_file")
    if len(data) > limits.file_bytes:
        raise Refused(file_name, "too_large", limit_mb=limits.file_bytes // (1024 * 1024))
    if data.startswith(OLE_MAGIC):
        # An OLE container is either a password-protected OOXML file or a legacy .xls.
        code = "encrypted" if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data else "xls"
        raise Refused(file_name, code)
    if not data.startswith(ZIP_MAGIC):
        raise Refused(file_name, "not_excel")
    check_zip(data, file_name, limits)


def check_zip(data: bytes, file_name: str, limits: Limits) -> None:
    """Refuse truncated archives and zip bombs from the central directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                raise Refused(file_name, "not_excel")
            total = 0
            for info in infos:
                total += info.file_size
                packed = max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and info.file_size / packed > limits.member_ratio:
                    raise Refused(file_name, "bomb", member=info.filename)
            if total > limits.unpacked_bytes:
                raise Refused(file_name, "bomb", member="*")
            with archive.open("xl/workbook.xml") as workbook:
                workbook.read()
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, ValueError, OSError):
        raise Refused(file_name, "corrupt") from None
