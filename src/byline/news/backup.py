"""Backup and restore of the database (``byline backup`` / ``byline restore``).

- **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``) copies the live
  database page by page while the site and fetchers keep running; the copy is checked
  (``PRAGMA integrity_check``) before it replaces anything. Restore copies a checked backup
  back the same way, in place, so open connections see the restored data.
- **PostgreSQL**: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction`` (PostgreSQL's client tools; a clear error when they are missing).
  A restore that fails rolls back and leaves the database as it was.

Both write to a temporary file beside the target and rename it into place, so a crash or a
full disk never leaves a half-written backup under the name given. The raw pages are in the
database, so they are in the backup; the WARC archive (``DATA_DIR/warc/``) and the secret
key (``DATA_DIR/secret_key``) are files to copy with the rest of the data folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from byline.errors import BylineError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(BylineError):
    """A backup or restore that could not be done; nothing was changed."""


@dataclass(frozen=True)
class Done:
    path: Path
    engine: str  # "sqlite" or "postgresql"
    size: int  # bytes written (backup) or read (restore)


def _settings() -> dict[str, Any]:
    return dict(connection.settings_dict)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def _check_sqlite(path: Path) -> None:
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database")
    check = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        (result,) = check.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc
    finally:
        check.close()
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: PostgreSQL backups need PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)"
        )
    return found


def _run(command: list[str], db: dict[str, Any]) -> None:
    done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} failed: {message[-1] if message else '?'}")


def backup(path: Path) -> Done:
    """Write a backup of the database to ``path`` (replaced when it exists)."""
    engine = _engine()
    path = path.expanduser().resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the backup file's name")
    if not path.parent.is_dir():
        raise BackupError(f"no folder {path.parent} to write the backup in")
    partial = _temporary(path)
    db = _settings()
    try:
        if engine == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            _check_sqlite(partial)
        else:
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"]
            _run([*command, str(db["NAME"])], db)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Done(path, engine, path.stat().st_size)


def restore(path: Path) -> Done:
    """Replace the database's contents with the backup at ``path``. The backup is checked
    first; a backup of the other engine, or a damaged one, changes nothing."""
    engine = _engine()
    path = path.expanduser().resolve()
    if not path.is_file():
        raise BackupError(f"no backup file {path}")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    db = _settings()
    if engine == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            kind = "a PostgreSQL backup" if head.startswith(PG_MAGIC) else "not an SQLite backup"
            raise BackupError(f"{path} is {kind}; this Byline uses SQLite")
        _check_sqlite(path)
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{path} is not a PostgreSQL backup (pg_dump --format=custom)")
        connection.close()
        command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
        _run([*command, "--single-transaction", f"--dbname={db['NAME']}", str(path)], db)
    return Done(path, engine, path.stat().st_size)
