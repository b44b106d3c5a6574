"""Zombie sites (停产企业) in the browser: the list, a site's page, its supervisor and patrols, restart requests."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core.access import require
from steelwatch.core.pages import list_page
from steelwatch.core.screening import screening_panel_url
from steelwatch.geo.selectors import division_choices
from steelwatch.registry.selectors import supervisor_candidates

from . import forms as f
from . import selectors, services
from .access import (
    access_restart_request,
    access_zombie_site,
)
from .models import Revisit
from .views import _perform

# --- zombie sites -----------------------------------------------------------------------------------------


ZOMBIE_PAGE_SIZE = 30


@require_GET
def zombie_list(request):
    """The zombie sites in reach: offices with cases.view, a grid officer for their own grid, a supervisor
    for the sites they watch. Searchable by name or USCC, cut to a district or township, 30 to a page."""
    if not can(request.user, "cases.view"):
        require(request.user, "cases.task")
    overdue = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()[:64]
    division = request.GET.get("division", "").strip()[:12]
    restart = request.GET.get("restart") == "1"
    sort = request.GET.get("sort", "overdue")[:16]
    sites = selectors.zombie_list(
        request.user, overdue=overdue, restart=restart, q=q, division=division, sort=sort
    )
    page, query = list_page(request, sites, ZOMBIE_PAGE_SIZE)
    return render(
        request,
        "cases/zombie_list.html",
        {
            "page": page,
            "sites": page.object_list,
            "overdue": overdue,
            "restart": restart,
            "sort": sort,
            "sorts": [("overdue", _("巡查超期在前")), ("name", _("按名称")), ("area", _("按区域"))],
            "q": q,
            "division": division,
            "divisions": division_choices(request.user) if can(request.user, "cases.view") else [],
            "query": query,
            "today": timezone.localdate(),
        },
    )


@require_GET
def zombie_detail(request, enterprise_id: int):
    enterprise = access_zombie_site(request.user, enterprise_id)
    patrols = list(selectors.zombie_patrols(request.user, enterprise))
    pending = sorted(
        (p for p in patrols if p.status == Revisit.Status.PENDING), key=lambda p: (p.due_date, p.pk)
    )
    allowed = services.zombie_actions_for(request.user, enterprise)
    findings = selectors.restart_findings(enterprise)
    return render(
        request,
        "cases/zombie_detail.html",
        {
            "enterprise": enterprise,
            "patrols": patrols,
            "today": timezone.localdate(),
            "allowed": allowed,
            "next_patrol": pending[0]
            if pending and services.may_do_revisit(request.user, pending[0])
            else None,
            "restart_requests": selectors.zombie_restart_requests(request.user, enterprise),
            "findings": findings,
            "findings_days": settings.RESTART_FINDINGS_DAYS,
            "blocking": any(r.activity_found for r in findings),
            "credit_panel": screening_panel_url(request, enterprise, "restart_request"),
            "candidates": supervisor_candidates(enterprise) if "supervise" in allowed else [],
            "supervise_form": f.ZombieSuperviseForm(),
            "restart_form": f.RestartRequestForm(),
            "decision_form": f.RestartDecisionForm(),
            "revisit_form": f.RevisitForm(),
        },
    )


def _zombie_action(request, enterprise_id: int, form_class, action, success: str):
    enterprise = access_zombie_site(request.user, enterprise_id)
    form = form_class(request.POST, request.FILES)
    return _perform(
        request,
        form,
        lambda data: action(enterprise, data),
        success,
        reverse("cases:zombie_detail", args=[enterprise.pk]),
    )


@require_POST
def zombie_supervise(request, enterprise_id: int):
    def act(enterprise, data):
        supervisor = next((u for u in supervisor_candidates(enterprise) if u.pk == data["supervisor"]), None)
        if supervisor is None:
            raise ValidationError({"supervisor": _("所选监管责任人不是该企业属地的人员")})
        services.zombie_supervise(
            actor=request.user,
            enterprise=enterprise,
            supervisor=supervisor,
            patrol_every_days=data["patrol_every_days"],
            patrols=data["patrols"],
        )

    return _zombie_action(request, enterprise_id, f.ZombieSuperviseForm, act, _("已指定监管责任人并安排巡查"))


@require_POST
def restart_request_submit(request, enterprise_id: int):
    def act(enterprise, data):
        services.restart_request_submit(
            actor=request.user,
            enterprise=enterprise,
            report=data["report"],
            safety_assessor=data["safety_assessor"],
            note=data["note"],
        )

    return _zombie_action(request, enterprise_id, f.RestartRequestForm, act, _("复产申请已提交"))


@require_POST
def restart_request_decide(request, request_id: int):
    restart = access_restart_request(request.user, request_id)
    form = f.RestartDecisionForm(request.POST)
    return _perform(
        request,
        form,
        lambda data: services.restart_request_decide(
            actor=request.user,
            request=restart,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            override=data["override"],
        ),
        _("复产申请已审批"),
        reverse("cases:zombie_detail", args=[restart.enterprise_id]),
    )
