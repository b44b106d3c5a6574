"""Reading one's own notifications: a user only ever sees and marks the ones addressed to them."""

from django.db.models import QuerySet
from django.utils import timezone

from .access import get_or_404
from .models import Notification


def notifications_for(user) -> QuerySet:
    return (
        Notification.objects.filter(recipient=user)
        if getattr(user, "pk", None)
        else Notification.objects.none()
    )


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def access_notification(user, notification_id: int) -> Notification:
    return get_or_404(notifications_for(user), pk=notification_id)


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's unread notifications (or only `ids` among them) as read; returns how many."""
    unread = notifications_for(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
