"""A throwaway PostgreSQL cluster of the test's own (initdb, pg_ctl), on a free port under a
temporary folder, for tests that stop or restart the server: the shared server is never
touched. As root, the server runs as the ``postgres`` user (initdb refuses root)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

BINARIES = ("initdb", "pg_ctl", "postgres")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    def __init__(self, folder: Path, port: int, run_as: list[str]) -> None:
        self.folder, self.port, self._as = folder, port, run_as
        self.data, self.log = folder / "data", folder / "server.log"
        self.admin_url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        # Output to a file, never a pipe: the server pg_ctl starts would hold a pipe open.
        out = self.folder / "pg_ctl.out"
        with out.open("w") as sink:
            done = subprocess.run(
                [*self._as, shutil.which("pg_ctl") or "pg_ctl", "-D", str(self.data), *args],
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        assert done.returncode == 0, f"pg_ctl {' '.join(args)}: {out.read_text()}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._ctl("-o", options, "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-l", str(self.log), "-w", "restart")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A started cluster, stopped and removed at the end; the test skips, saying why, when
    PostgreSQL's server programs are missing or initdb cannot run here."""
    missing = [name for name in BINARIES if not shutil.which(name)]
    if missing:
        pytest.skip(f"PostgreSQL's server programs are missing ({', '.join(missing)})")
    run_as: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="byline-crash-pg-"))
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            pytest.skip("running as root and there is no postgres user to run initdb as")
        if not shutil.which("runuser"):
            shutil.rmtree(folder, ignore_errors=True)
            pytest.skip("running as root without runuser to run initdb as postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(folder, _free_port(), run_as)
    done = subprocess.run(
        [
            *run_as,
            shutil.which("initdb") or "initdb",
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"initdb cannot run here: {(done.stderr or done.stdout).strip()[:300]}")
    try:
        cluster.start()
        yield cluster
    finally:
        with suppress(AssertionError, subprocess.TimeoutExpired):
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
