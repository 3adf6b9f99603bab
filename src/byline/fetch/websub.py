"""WebSub (W3C Recommendation, 2018) for a subscriber: the subscription request a hub is sent,
the check of a hub's verification of intent, and the check of a pushed body's signature.
Pure functions: the network and the database are the caller's (``service/websub.py``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

# X-Hub-Signature methods the spec allows; sha1 is still what most hubs send.
_METHODS = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}


def new_secret() -> str:
    """A secret for one subscription (the spec allows up to 200 bytes)."""
    return secrets.token_hex(32)


def new_token() -> str:
    """The unguessable part of a subscription's callback address."""
    return secrets.token_urlsafe(24)


def subscription_form(
    topic: str, callback: str, secret: str, lease_seconds: int, mode: str = "subscribe"
) -> dict[str, str]:
    """The form POSTed to the hub (spec §5.1)."""
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if mode == "subscribe":
        form["hub.secret"] = secret
        form["hub.lease_seconds"] = str(lease_seconds)
    return form


@dataclass(frozen=True)
class Verification:
    """What to answer a hub's GET to the callback (spec §5.3)."""

    status: int
    body: str = ""
    lease_seconds: int | None = None  # set when a subscription is confirmed
    denied: str = ""  # the hub's reason, when it denied the subscription


def verify_intent(
    params: dict[str, str], topic: str, expecting: set[str], default_lease: int
) -> Verification:
    """Answer a verification of intent: echo the challenge only for a mode this subscriber
    asked for (``expecting``: {"subscribe"}, {"unsubscribe"}) on its own topic; 404
    otherwise, which tells the hub no."""
    mode = params.get("hub.mode", "")
    if params.get("hub.topic", "") != topic:
        return Verification(404)
    if mode == "denied":
        return Verification(200, "", denied=params.get("hub.reason", "denied by the hub")[:200])
    challenge = params.get("hub.challenge", "")
    if mode not in expecting or not challenge:
        return Verification(404)
    lease: int | None = None
    if mode == "subscribe":
        raw = params.get("hub.lease_seconds", "")
        lease = int(raw) if raw.isdigit() and int(raw) > 0 else default_lease
    return Verification(200, challenge, lease_seconds=lease)


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """Whether ``X-Hub-Signature: method=hexdigest`` is the HMAC of ``body`` under
    ``secret`` (spec §8). A missing, unknown or wrong signature is False."""
    method, _, digest = header.strip().partition("=")
    algorithm = _METHODS.get(method.lower())
    if not secret or algorithm is None or not digest:
        return False
    expected = hmac.new(secret.encode(), body, algorithm).hexdigest()
    return hmac.compare_digest(expected, digest.lower())
