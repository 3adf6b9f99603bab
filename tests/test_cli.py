"""The `byline` command line: help, version and usage errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from byline import __version__, cli

ROOT = Path(__file__).resolve().parent.parent
BYLINE = ROOT / ".venv" / "bin" / "byline"

SUBCOMMANDS = {
    "demo": ["sample", "--no-serve", "--outlets-port"],
    "serve": ["serve", "--host", "--port"],
    "migrate": ["database"],
    "sources": ["add", "list", "remove"],
    "fetch": ["feeds", "--all"],
    "import": ["HTML", "JSONL", "--source", "--kind"],
    "extract": ["HTML", "--url-map", "JSON"],
    "cluster": ["story", "FILE|-", "standard input"],
    "provenance": ["relation", "origin_id", "evidence", "FILE|-"],
    "config": ["dump", "--json"],
    "manage": ["Django"],
}


def script(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    env["BYLINE_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [str(BYLINE), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


def test_console_script_help(tmp_path: Path) -> None:
    done = script("--help", tmp_path=tmp_path)
    assert done.returncode == 0
    for word in ("story", "origin", "syndicated", "scraped", "spun", *SUBCOMMANDS):
        assert word in done.stdout
    assert "BYLINE_" in done.stdout
    assert "exit codes" in done.stdout


def test_console_script_version(tmp_path: Path) -> None:
    done = script("--version", tmp_path=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"byline {__version__}"


def test_python_dash_m(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "byline", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert __version__ in done.stdout


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_subcommand_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main([command, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"usage: byline {command}")
    for word in SUBCOMMANDS[command]:
        assert word in out, f"`byline {command} --help` does not mention {word}"


@pytest.mark.parametrize("action", ["add", "list", "remove"])
def test_sources_action_help(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(["sources", action, "--help"], capsys)
    assert code == 0
    assert f"byline sources {action}" in out


def test_unknown_command_exits_2(tmp_path: Path) -> None:
    done = script("frobnicate", tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "invalid choice: 'frobnicate'" in done.stderr


def test_missing_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main([], capsys)
    assert code == 2
    assert out == ""
    assert "COMMAND" in err


def test_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(["cluster", "--no-such-flag", "x.jsonl"], capsys)
    assert code == 2
    assert "--no-such-flag" in err


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"byline {__version__}"


def test_data_dir_flag_reaches_config_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BYLINE_DATA_DIR", raising=False)
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    assert cli.main(["--data-dir", str(tmp_path), "config", "dump"]) == 0
    out = capsys.readouterr().out
    assert f"BYLINE_DATA_DIR={tmp_path} " in out


def test_data_dir_flag_origin_is_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BYLINE_DATA_DIR", raising=False)
    assert cli.main(["--data-dir", str(tmp_path), "config", "dump"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("BYLINE_DATA_DIR"))
    assert line.endswith("[command line]")


def test_log_lines_go_to_the_stderr_of_the_moment_not_a_closed_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Byline's log handler looks up sys.stderr for each record: a caller that ran Byline
    with one stderr and closed it later does not get "I/O operation on closed file"."""
    import io
    import logging

    from byline.logs import CurrentStderrHandler

    handler = CurrentStderrHandler()
    logger = logging.getLogger("byline.test.current-stderr")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        first = io.StringIO()
        monkeypatch.setattr("sys.stderr", first)
        logger.warning("one")
        first.close()
        second = io.StringIO()
        monkeypatch.setattr("sys.stderr", second)
        logger.warning("two")
        assert second.getvalue() == "two\n"
    finally:
        logger.removeHandler(handler)
