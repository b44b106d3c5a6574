from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .access import access_job
from .dashboard import dashboard_cards
from .jobs import job_refresh
from .notifications import access_notification, notifications_for, notifications_mark_read


def health(request):
    """`/healthz` for a load balancer or monitor: 200 when the database answers, 503 when it does not (no login,
    nothing about the deployment in the answer). `make bench` also uses it as the trivial view pages are measured
    against."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    return render(request, "core/home.html", {"cards": dashboard_cards(request.user)})


def job_status(request, job_id: int):
    return render(request, "core/job_status.html", {"job": job_refresh(access_job(request.user, job_id))})


def notification_list(request):
    """The user's own notifications; the ones shown as new are marked read by opening the page."""
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    items = list(page.object_list)
    notifications_mark_read(user=request.user, ids=[n.pk for n in items if n.read_at is None])
    return render(request, "core/notifications.html", {"page": page, "items": items})


def notification_open(request, notification_id: int):
    """Follow a notification's link, marking it read (someone else's notification is not found)."""
    notification = access_notification(request.user, notification_id)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    safe = notification.url and url_has_allowed_host_and_scheme(notification.url, {request.get_host()})
    return redirect(notification.url if safe else "core:notifications")
