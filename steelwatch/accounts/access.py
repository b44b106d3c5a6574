"""The door to accounts: who a bearer token belongs to (nobody, for an unknown token or an inactive user), and a
manager's reach over the users of their own jurisdiction, no one else."""

from steelwatch.core.access import get_or_404, require, scope_to_jurisdiction

from .models import ApiToken, User


def token_user(raw: str) -> User | None:
    token = ApiToken.objects.authenticate(raw)
    return token.user if token is not None else None


def users_for(user):
    require(user, "users.manage")
    return scope_to_jurisdiction(User.objects.select_related("division__parent", "grid"), user)


def access_user(actor, user_id: int) -> User:
    return get_or_404(users_for(actor), pk=user_id)
