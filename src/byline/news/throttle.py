"""Rate limits per client address, kept in the database (``RateEvent``) so that they hold
across every ``byline run`` process sharing it — no Redis or cache server needed.

A client is keyed by a keyed hash (HMAC with the site's secret key) of its address: an IPv4
address, or the /64 network of an IPv6 one (one household or server gets a whole /64, so a
limit per IPv6 address would be no limit). The address itself is never stored."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from byline.news.models import RateEvent

KEEP = timedelta(days=1)  # the longest window any limit looks back over


def client_network(address: str) -> str:
    """What one client is, for the limits: an IPv4 address, or an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(address: str) -> str:
    """The keyed hash that stands for a client in ``RateEvent`` and ``Reply.client``."""
    return salted_hmac("byline.client", client_network(address), algorithm="sha256").hexdigest()


def hit(action: str, key: str, limit: int, window: timedelta) -> bool:
    """Count one ``action`` by ``key``; False (and nothing counted) when ``key`` already did
    it ``limit`` times within ``window``.

    The event is written first and the window counted after, in one transaction: two
    processes racing for the last slot both see each other and at worst both refuse — never
    both pass."""
    now = timezone.now()
    with transaction.atomic():
        event = RateEvent.objects.create(action=action, key=key, created_at=now)
        count = RateEvent.objects.filter(
            action=action, key=key, created_at__gt=now - window
        ).count()
        if count > limit:
            event.delete()
            return False
    RateEvent.objects.filter(action=action, created_at__lt=now - KEEP).delete()
    return True
