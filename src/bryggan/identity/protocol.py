"""What both protocols hand on: a verified assertion, or a refusal with a message a person
can act on; and the session key that remembers a sign-in through a provider."""

from __future__ import annotations

from dataclasses import dataclass, field


class ProtocolError(Exception):
    """The provider's answer was refused; the message says why, for the person."""


# What the session keeps of a sign-in through a provider: which one and when it was last
# checked (identity/middleware.py), and what its sign-out needs (the OIDC ID token as
# id_token_hint; the SAML NameID and session index).
SESSION_KEY = "bryggan_sso"


@dataclass(frozen=True)
class Assertion:
    """What the provider vouched for, already verified."""

    subject: str
    email: str
    name: str
    groups: tuple[str, ...]
    factors: tuple[str, ...]  # OIDC amr values and acr; SAML AuthnContextClassRef
    id_token: str = ""
    session: dict = field(default_factory=dict)  # SAML: what its logout request names


class NeedsInteraction(ProtocolError):
    """A quiet check found no session at the provider: the person must sign in there."""
