"""The settings table: defaults, then a TOML file, then BYLINE_* environment variables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from byline import __version__, cli
from byline.config import SETTINGS, Setting, describe, load
from byline.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_stray_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder so that ./var/byline.toml cannot leak in."""
    monkeypatch.chdir(tmp_path)
    for name in [s.env_name for s in SETTINGS] + ["BYLINE_CONFIG"]:
        monkeypatch.delenv(name, raising=False)


def write_toml(folder: Path, text: str, name: str = "byline.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    config = load({})
    assert config.data_dir == "./var"
    assert config.database_url == ""
    assert config.debug is False
    assert config.allowed_hosts == ("127.0.0.1", "localhost")
    assert config.fetch_timeout == 20.0
    assert config.max_page_bytes == 5_000_000
    assert config.max_redirects == 5
    assert config.port == 8000
    assert config.host == "127.0.0.1"
    assert 0 < config.story_threshold < 1
    assert set(config.origins.values()) == {"default"}
    assert set(config.values) == {s.name for s in SETTINGS}


def test_every_default_parses() -> None:
    for setting in SETTINGS:
        setting.parse(setting.default)


def test_env_overrides() -> None:
    config = load(
        {
            "BYLINE_DEBUG": "yes",
            "BYLINE_ALLOWED_HOSTS": " news.example , www.news.example ,",
            "BYLINE_FETCH_TIMEOUT": "2.5",
            "BYLINE_PORT": "9001",
            "DATABASE_URL": "postgres://byline@db:5432/byline",
        }
    )
    assert config.debug is True
    assert config.allowed_hosts == ("news.example", "www.news.example")
    assert config.fetch_timeout == 2.5
    assert config.port == 9001
    assert config.database_url == "postgres://byline@db:5432/byline"
    assert config.origins["port"] == "$BYLINE_PORT"
    assert config.origins["database_url"] == "$DATABASE_URL"
    assert config.origins["host"] == "default"


def test_env_name_defaults_to_byline_prefix() -> None:
    assert Setting("fetch_timeout", "1", "h").env_name == "BYLINE_FETCH_TIMEOUT"
    assert Setting("database_url", "", "h", env="DATABASE_URL").env_name == "DATABASE_URL"


def test_file_then_env_precedence(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'site_name = "From File"\nport = 9100\nfetch_timeout = 3.5\n')
    config = load({"BYLINE_CONFIG": str(path), "BYLINE_PORT": "9200"})
    assert config.site_name == "From File"
    assert config.origins["site_name"] == str(path)
    assert config.fetch_timeout == 3.5
    assert config.port == 9200  # the environment beats the file
    assert config.origins["port"] == "$BYLINE_PORT"
    assert config.host == "127.0.0.1"


def test_overrides_beat_env_and_file(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "port = 9100\n")
    config = load({"BYLINE_CONFIG": str(path), "BYLINE_PORT": "9200"}, {"port": 9300})
    assert config.port == 9300
    assert config.origins["port"] == "command line"
    assert load({"BYLINE_PORT": "9200"}, {"port": None}).port == 9200


def test_file_in_data_dir_is_found(tmp_path: Path) -> None:
    write_toml(tmp_path, 'site_name = "Data Dir File"\n')
    config = load({"BYLINE_DATA_DIR": str(tmp_path)})
    assert config.site_name == "Data Dir File"
    assert config.origins["site_name"] == str(tmp_path / "byline.toml")


def test_file_booleans_and_numbers(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "debug = true\nmax_redirects = 2\nstory_threshold = 0.4\n")
    config = load({"BYLINE_CONFIG": str(path)})
    assert config.debug is True
    assert config.max_redirects == 2
    assert config.story_threshold == 0.4


def test_file_list_for_allowed_hosts(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'allowed_hosts = ["news.example", "www.news.example"]\n')
    assert load({"BYLINE_CONFIG": str(path)}).allowed_hosts == (
        "news.example",
        "www.news.example",
    )


@pytest.mark.parametrize(
    ("env_name", "value"),
    [
        ("BYLINE_FETCH_TIMEOUT", "soon"),
        ("BYLINE_FETCH_TIMEOUT", "-1"),
        ("BYLINE_CONNECT_TIMEOUT", "0"),
        ("BYLINE_MAX_PAGE_BYTES", "1.5"),
        ("BYLINE_MAX_REDIRECTS", "0"),
        ("BYLINE_PORT", "eighty"),
        ("BYLINE_DEBUG", "maybe"),
        ("BYLINE_STORY_THRESHOLD", "1.5"),
        ("BYLINE_COPY_THRESHOLD", "-0.1"),
        ("BYLINE_STORY_WINDOW_HOURS", "0"),
        ("DATABASE_URL", "mysql://root@db/byline"),
    ],
)
def test_bad_values_raise_config_error_naming_the_variable(env_name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(env_name)):
        load({env_name: value})


def test_bad_value_in_file_names_the_variable_and_file(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'max_redirects = "lots"\n')
    with pytest.raises(ConfigError) as caught:
        load({"BYLINE_CONFIG": str(path)})
    assert "BYLINE_MAX_REDIRECTS" in str(caught.value)
    assert str(path) in str(caught.value)


def test_unknown_key_in_file_is_rejected(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'site_name = "x"\nfetch_timout = 3\n')
    with pytest.raises(ConfigError, match="fetch_timout"):
        load({"BYLINE_CONFIG": str(path)})


def test_broken_or_missing_file_is_a_config_error(tmp_path: Path) -> None:
    broken = write_toml(tmp_path, "port = = 3\n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load({"BYLINE_CONFIG": str(broken)})
    with pytest.raises(ConfigError, match="cannot read config file"):
        load({"BYLINE_CONFIG": str(tmp_path / "absent.toml")})


def test_config_attributes_and_user_agent() -> None:
    config = load({"BYLINE_CONTACT_URL": "https://ops.example/crawler"})
    assert config.user_agent() == f"Byline/{__version__} (+https://ops.example/crawler)"
    with pytest.raises(AttributeError):
        _ = config.no_such_setting
    assert load({"BYLINE_DATA_DIR": "/tmp/x/../y"}).data_path == Path("/tmp/y")


def test_every_setting_is_documented() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for setting in SETTINGS:
        assert setting.help.strip(), f"{setting.name} has no help text"
        assert setting.env_name.isupper()
    assert [row["env"] for row in describe()] == [s.env_name for s in SETTINGS]


def test_every_setting_is_in_the_readme() -> None:
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    missing = [s.env_name for s in SETTINGS if not re.search(rf"\b{s.env_name}\b", text)]
    assert not missing, f"README.md does not document: {', '.join(missing)}"


def test_config_dump_lists_every_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BYLINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BYLINE_PORT", "8123")
    assert cli.main(["config", "dump"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for setting in SETTINGS:
        assert any(line.startswith(f"{setting.env_name}=") for line in lines), setting.env_name
    assert any(line.startswith("BYLINE_PORT=8123") and "$BYLINE_PORT" in line for line in lines)


def test_config_dump_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BYLINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BYLINE_SECRET_KEY", "hunter2-do-not-print")
    assert cli.main(["config", "dump", "--json"]) == 0
    out = capsys.readouterr().out
    rows = json.loads(out)
    assert [row["name"] for row in rows] == [s.name for s in SETTINGS]
    assert all(row["help"] for row in rows)
    assert "hunter2-do-not-print" not in out


def test_config_dump_with_bad_env_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYLINE_FETCH_TIMEOUT", "soon")
    assert cli.main(["config", "dump"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("byline: error:")
    assert "BYLINE_FETCH_TIMEOUT" in err
    assert len(err.strip().splitlines()) == 1


def test_the_secret_key_is_made_once_private_and_whole_when_processes_start_together(
    tmp_path: Path,
) -> None:
    """A server and its workers (or two test suites) started together on a fresh data folder
    all find the secret key missing. Each must end up with the same key, none may read the
    file half-written (an empty key stops Django), and the file is the owner's alone."""
    import stat
    import threading

    from byline.web.settings import kept_secret

    path = tmp_path / "secret_key"
    start = threading.Barrier(16)
    keys: list[str] = []

    def read() -> None:
        start.wait()
        keys.append(kept_secret(path))

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 16 and len(set(keys)) == 1 and len(keys[0]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no scratch file left
    assert kept_secret(path) == keys[0]


def test_the_secret_key_is_made_where_the_file_system_has_no_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    from byline.web import settings

    def no_links(src: str, dst: str) -> None:
        raise PermissionError("hard links are not supported here")

    monkeypatch.setattr(settings.os, "link", no_links)
    path = tmp_path / "secret_key"
    key = settings.kept_secret(path)
    assert len(key) >= 50 and settings.kept_secret(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["secret_key"]
