"""Files only their owner can read (issue 17): the database, its WAL, the originals, backups and logs,
and a warning when an existing database is readable by others."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.access import OFFICE_BOOK, add_users
from wenming.store import Store, backup, db
from wenming.text import t


@pytest.fixture
def lax_umask() -> Iterator[None]:
    """The usual umask of a login shell (022: files 0644, folders 0755), restored afterwards."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def others_bits(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o077


def test_the_database_wal_and_originals_are_created_owner_only(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "data" / "wenming.duckdb"
    store = Store.open(path)
    add_users(store)
    store.import_file(OFFICE_BOOK, "office.xlsx", user="管理员")
    created = [path, path.parent, store.archive, *store.archive.iterdir()]
    wal = path.with_name(path.name + ".wal")
    created += [wal] if wal.exists() else []
    assert len(created) >= 4 and {p.name: others_bits(p) for p in created} == {p.name: 0 for p in created}
    store.close()
    assert db.exposed(path) == []


def test_a_backup_is_owner_only(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "wenming.duckdb"
    store = Store.open(path)
    store.import_file(OFFICE_BOOK, "office.xlsx", user="test")
    store.close()
    os.umask(0o022)  # as if another tool had set it back
    outcome = backup.backup(path, tmp_path / "backup")
    made = [outcome.folder, *outcome.folder.rglob("*")]
    assert len(made) >= 4 and {str(p): others_bits(p) for p in made} == {str(p): 0 for p in made}


def test_a_database_others_can_read_is_named_in_a_warning(
    tmp_path: Path, lax_umask: None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.duckdb"
    Store.open(path).close()
    path.chmod(0o644)  # as an older version left it
    with caplog.at_level(logging.WARNING, logger="wenming.store.db"):
        Store.open(path).close()
    expected = t("store.exposed", count=1, files=str(path), command=f"chmod -R go-rwx {path}")
    assert [r.getMessage() for r in caplog.records if r.name == "wenming.store.db"] == [expected]
    path.chmod(0o600)
    assert db.exposed(path) == []


def test_the_command_lines_error_log_is_owner_only(tmp_path: Path, lax_umask: None, monkeypatch) -> None:
    from wenming import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "cmd_history", broken)
    monkeypatch.setitem(cli.COMMANDS, "history", broken)
    assert cli.main(["history", "--db", str(tmp_path / "x.duckdb")]) == 1
    assert others_bits(tmp_path / "x.log") == 0
