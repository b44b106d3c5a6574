"""The door to accounts: who a bearer token belongs to (nobody, for an unknown token or an inactive user)."""

from .models import ApiToken, User


def token_user(raw: str) -> User | None:
    token = ApiToken.objects.authenticate(raw)
    return token.user if token is not None else None
