from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import exports, files
from .access import access_job
from .dashboard import dashboard_cards
from .jobs import job_refresh
from .models import Job
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
    """A job's progress: the block alone for htmx's polling, else the page (an export's title and retention)."""
    job = job_refresh(access_job(request.user, job_id))
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        return render(request, "core/job_status.html", {"job": job})
    return render(
        request,
        "core/job_page.html",
        {"job": job, "title": exports.TITLES.get(job.kind), "retention_days": settings.UPLOAD_RETENTION_DAYS},
    )


def job_download(request, job_id: int):
    """The file of a finished export, for the user who started it only (404 for anyone else, and once the file
    has passed its retention period)."""
    job = access_job(request.user, job_id, exports.TITLES)
    if job.status != Job.Status.DONE or not job.files:
        raise Http404(_("导出文件不存在或已过期"))
    filename = job.result["filename"]
    return files.serve(job.files[0], content_type=exports.content_type(filename), filename=filename)


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
