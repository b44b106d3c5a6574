"""`{% unread_notifications %}`: the bell's count in base.html (one query, only for a logged-in user)."""

from django import template

from steelwatch.core.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if getattr(user, "is_authenticated", False) else 0
