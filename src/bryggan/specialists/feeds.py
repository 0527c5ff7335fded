"""The Atom feed of a municipality's updates is read by feed readers without a session: its
address carries a signed token naming the municipality, made for its staff."""

from __future__ import annotations

from django.core import signing

SALT = "bryggan.specialists.feed"


def token_for(municipality_id: int) -> str:
    return signing.dumps({"m": municipality_id}, salt=SALT)


def read_token(token: str) -> int | None:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    value = payload.get("m") if isinstance(payload, dict) else None
    return value if isinstance(value, int) else None
