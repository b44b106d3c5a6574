"""Power-monitoring pages: the alert list and page, alert handling, readings upload, detection runs, and the
enterprise page's alert partial.
Views only parse the request and call selectors or services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core.access import require
from steelwatch.core.pages import list_page
from steelwatch.geo.selectors import division_choices
from steelwatch.registry.access import access_enterprise

from . import selectors, services
from .access import access_alert, access_run
from .forms import AlertFilterForm, DismissForm, ReadingsUploadForm
from .models import DetectionRun

PAGE_SIZE = 50


def alert_list(request):
    form = AlertFilterForm(request.GET, divisions=division_choices(request.user))
    alerts = selectors.alert_list(request.user, **form.filters())
    page, query = list_page(request, alerts, PAGE_SIZE)
    return render(
        request,
        "power/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_upload": can(request.user, "power.upload"),
            "runs": selectors.recent_runs(request.user, 5),
            "open_cases": selectors.visible_case_ids(request.user, page),
            "areas": selectors.open_alerts_by_area(request.user),
        },
    )


def alert_detail(request, alert_id: int):
    alert = access_alert(request.user, alert_id)
    return render(
        request,
        "power/alert_detail.html",
        {
            "alert": alert,
            "chart": services.alert_chart(alert),
            "dismiss_form": DismissForm(),
            "requests": alert.account.capacity_requests.all(),
            "others": selectors.account_alerts(alert),
            "history": selectors.alert_history(alert),
            "versions": selectors.alert_versions(alert),
            "open_cases": selectors.visible_case_ids(request.user, [alert]),
            "can_handle": can(request.user, "alerts.handle"),
        },
    )


def _act(request, alert_id: int, action, done: str):
    alert = access_alert(request.user, alert_id)
    try:
        action(alert)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("power:alert_detail", alert.pk)


@require_POST
def alert_acknowledge(request, alert_id: int):
    return _act(
        request, alert_id, lambda a: services.alert_acknowledge(actor=request.user, alert=a), _("已确认告警")
    )


@require_POST
def alert_dismiss(request, alert_id: int):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        alert_id,
        lambda a: services.alert_dismiss(actor=request.user, alert=a, reason=reason),
        _("已排除告警"),
    )


@require_POST
def alert_escalate(request, alert_id: int):
    return _act(
        request, alert_id, lambda a: services.alert_escalate(actor=request.user, alert=a), _("已转为核查案件")
    )


@require_http_methods(["GET", "POST"])
def upload(request):
    require(request.user, "power.upload")
    form = ReadingsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.readings_ingest_start(
                actor=request.user,
                via="page",
                upload=form.cleaned_data["file"],
                interval=form.cleaned_data["interval"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("power:run_detail", run.pk)
    return render(request, "power/upload.html", {"form": form, "runs": selectors.recent_runs(request.user)})


def run_detail(request, run_id: int):
    """The run page; an htmx request (its details block polling while the run works) gets the block alone."""
    run = services.detection_run_refresh(access_run(request.user, run_id))
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    return render(
        request,
        "power/_run_details.html" if partial else "power/run_detail.html",
        {"run": run, "job": run.job},
    )


def run_list(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.run_list(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "power/run_list.html",
        {
            "page": page,
            "status": status,
            "statuses": DetectionRun.Status.choices,
            "query": urlencode({"status": status}) if status else "",
            "can_upload": can(request.user, "power.upload"),
        },
    )


@require_GET
def enterprise_alerts(request, enterprise_id: int):
    """The alerts of one enterprise's power accounts, as a partial for its page (loaded with htmx)."""
    enterprise = access_enterprise(request.user, enterprise_id)
    alerts = list(selectors.alerts_for_enterprise(request.user, enterprise))
    return render(
        request,
        "power/_enterprise_alerts.html",
        {
            "enterprise": enterprise,
            "alerts": alerts,
            "open_cases": selectors.visible_case_ids(request.user, alerts),
            "can_view": can(request.user, "alerts.view"),
        },
    )


GROUP_TITLES = {"district": _("按区县"), "kind": _("按理由类型"), "band": _("按评分段"), "month": _("按月份")}


def outcomes(request):
    """Alert outcomes fed back: precision by district, kind of reason, score band and month."""
    from .outcomes import outcome_table

    table = outcome_table(request.user)
    groups = [(GROUP_TITLES[g], rows) for g, rows in table.items()]
    return render(request, "power/outcomes.html", {"groups": groups})
