"""双随机 pages for the office: the draws (freeze, run with the announced value, publish, download the record),
the inspector directory with declared interests, and the coverage of the grids."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts.access import users_for
from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.core.access import get_or_404, require
from steelwatch.core.pages import list_page
from steelwatch.registry.access import access_enterprise_by_uscc
from steelwatch.registry.models import Enterprise
from steelwatch.registry.selectors import FLAG_FILTERS

from . import access, office_forms, selectors
from .services import draws
from .views_common import submit


def draw_list(request):
    page, query = list_page(request, access.draws_for(request.user), 30)
    return render(
        request,
        "field/draw_list.html",
        {"page": page, "query": query, "can_write": can(request.user, "draws.manage")},
    )


@require_http_methods(["GET", "POST"])
def draw_new(request):
    require(request.user, "draws.manage")
    form = office_forms.DrawForm(
        request.POST or None,
        initial={"division_code": request.user.division_id},
        items=[(i.code, f"{i.code} {i.name}") for i in access.active_items()],
        statuses=Enterprise.Status.choices,
        flags=[
            (key, label)
            for key, label in Enterprise.FLAGS.items()
            if key in FLAG_FILTERS and key != "off_ledger"
        ],
    )

    def freeze():
        data = form.cleaned_data
        return draws.draw_freeze(
            actor=request.user,
            item=access.access_item(data["item"]),
            division_code=data["division_code"].strip(),
            target_filter=form.target_filter(),
            targets=data["targets"],
            inspectors_per_target=data["inspectors_per_target"],
        )

    done = _("名单已冻结，请公布哈希值和承诺值")
    if response := submit(
        request, form, freeze, done=done, to=lambda draw: reverse("field:draw_detail", args=[draw.pk])
    ):
        return response
    return render(request, "field/draw_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def draw_detail(request, pk: int):
    draw = access.access_draw(request.user, pk)
    form = office_forms.RunForm(request.POST or None)

    def run():
        return draws.draw_run(
            actor=request.user, draw=draw, announced_value=form.cleaned_data["announced_value"]
        )

    if response := submit(request, form, run, done=_("抽取完成，密钥已公开"), to=request.path):
        return response
    return render(
        request,
        "field/draw_detail.html",
        {
            "draw": draw,
            "record": selectors.draw_record(draw),
            "inspections": draw.inspections.select_related("enterprise").prefetch_related("inspectors"),
            "form": form,
            "can_write": can(request.user, "draws.manage"),
        },
    )


@require_POST
def draw_publish(request, pk: int):
    draw = access.access_draw(request.user, pk)
    try:
        draws.draw_publish(actor=request.user, draw=draw)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已在公示页面公布"))
    return redirect("field:draw_detail", pk)


def draw_record(request, pk: int):
    return record_download(access.access_draw(request.user, pk))


def record_download(draw) -> HttpResponse:
    """The draw record as the JSON file `steelwatch verify-draw` reads (the public page serves the same)."""
    body = json.dumps(selectors.draw_record(draw), ensure_ascii=False, indent=2)
    return files.bytes_response(
        body.encode(), filename=f"draw-{draw.pk}.json", content_type="application/json; charset=utf-8"
    )


@require_http_methods(["GET", "POST"])
def inspector_list(request):
    inspectors = access.inspectors_for(request.user).prefetch_related("interests__enterprise")
    can_write = can(request.user, "draws.manage") and can(request.user, "users.manage")
    form = None
    if can_write:
        candidates = users_for(request.user).filter(is_active=True).order_by("username")[:1000]
        form = office_forms.InspectorForm(
            request.POST or None, user_choices=[(u.username, f"{u} ({u.username})") for u in candidates]
        )

        def enrol():
            person = get_or_404(users_for(request.user), username=form.cleaned_data["user"])
            return draws.inspector_enrol(
                actor=request.user, user=person, department=form.cleaned_data["department"]
            )

        if response := submit(request, form, enrol, done=_("已加入检查人员名录"), to=request.path):
            return response
    elif request.method == "POST":
        require(request.user, "draws.manage")
    page, query = list_page(request, inspectors, 50)
    return render(request, "field/inspector_list.html", {"page": page, "query": query, "form": form})


@require_http_methods(["GET", "POST"])
def inspector_detail(request, username: str):
    inspector = access.access_inspector(request.user, username)
    may_declare = request.user.pk == inspector.user_id or can(request.user, "draws.manage")
    form = office_forms.InterestForm(request.POST or None) if may_declare else None

    def declare():
        uscc = form.cleaned_data["enterprise_uscc"].strip().upper()
        site = access_enterprise_by_uscc(request.user, uscc)
        return draws.interest_declare(
            actor=request.user, inspector=inspector, enterprise=site, reason=form.cleaned_data["reason"]
        )

    missing = ("enterprise_uscc", _("台账中没有该企业，或不在您的管辖范围内"))
    if form is not None and (
        response := submit(
            request, form, declare, done=_("利害关系已申报，抽取时将回避"), to=request.path, missing=missing
        )
    ):
        return response
    return render(
        request,
        "field/inspector_detail.html",
        {"inspector": inspector, "interests": inspector.interests.select_related("enterprise"), "form": form},
    )


def coverage(request):
    require(request.user, "field.view")
    return render(request, "field/coverage.html", selectors.coverage_summary(access.grids_for(request.user)))


urlpatterns = [
    path("draws/", draw_list, name="draw_list"),
    path("draws/new/", draw_new, name="draw_new"),
    path("draws/<int:pk>/", draw_detail, name="draw_detail"),
    path("draws/<int:pk>/publish/", draw_publish, name="draw_publish"),
    path("draws/<int:pk>/record.json", draw_record, name="draw_record"),
    path("inspectors/", inspector_list, name="inspector_list"),
    path("inspectors/<str:username>/", inspector_detail, name="inspector_detail"),
    path("coverage/", coverage, name="coverage"),
]
