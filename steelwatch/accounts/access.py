"""The one door to user accounts: a manager reaches the users of their own jurisdiction, no one else."""

from steelwatch.core.access import get_or_404, require, scope_to_jurisdiction

from .models import User


def users_for(user):
    require(user, "users.manage")
    return scope_to_jurisdiction(User.objects.select_related("division__parent", "grid"), user)


def access_user(actor, user_id: int) -> User:
    return get_or_404(users_for(actor), pk=user_id)
