import hashlib
import secrets


def token_new() -> str:
    """A secret for a one-time link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a one-time link's secret, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()
