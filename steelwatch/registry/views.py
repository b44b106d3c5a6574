"""Ledger pages: the list (and its saved views), the enterprise page and the edit forms.
Views parse the request and call access/selectors/services; nothing else."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core.access import require
from steelwatch.core.forms import suggest_query
from steelwatch.core.pages import list_page
from steelwatch.core.screening import enterprise_match_count, screening_panel_url

from . import forms, selectors, services
from .access import (
    access_capacity_request,
    access_enterprise,
    access_enterprise_by_uscc,
    access_furnace,
    access_licence,
    access_power_account,
)
from .models import CapacityIncreaseRequest, Enterprise, Furnace

PAGE_SIZE = 30


def enterprise_list(request, view: str = ""):
    """The ledger with search, filters and pagination; `view` is a saved filter (furnace users, …)."""
    saved = selectors.LEDGER_VIEWS.get(view) if view else None
    if view and saved is None:
        raise Http404
    params = {key: request.GET.get(key, "").strip() for key in ("q", "division", "status", "flag")}
    if saved:
        params["flag"] = saved.flag
    page, query = list_page(request, selectors.enterprise_list(request.user, **params), PAGE_SIZE)
    context = {
        "page": page,
        "params": params,
        "saved": saved,
        "query": query,
        "saved_views": selectors.LEDGER_VIEWS.values(),
        "divisions": selectors.division_choices(request.user),
        "statuses": Enterprise.Status.choices,
        "flags": Enterprise.FLAGS.items(),
        "can_edit": can(request.user, "ledger.edit"),
        "can_export": can(request.user, "ledger.export"),
        "criteria": services.WATCHLIST_CRITERIA.values() if saved and saved.flag == "watchlist" else None,
    }
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    template = "registry/_enterprise_results.html" if partial else "registry/enterprise_list.html"
    return render(request, template, context)


# Alerts, cases and tips about an enterprise: (capability, title, url name) of each app's page fragment.
RELATED_SECTIONS = [
    ("alerts.view", gettext_lazy("用电告警"), "power:enterprise_alerts"),
    ("cases.view", gettext_lazy("相关案件"), "cases:enterprise_cases"),
    ("tips.view", gettext_lazy("相关举报"), "tips:enterprise_tips"),
    ("credit.screen", gettext_lazy("信用名单筛查"), "credit:enterprise_panel"),
    ("ledger.view", gettext_lazy("视频监控与现场巡查"), "field:enterprise_panel"),
]


def _related_sections(user, enterprise) -> list[dict]:
    return [
        {"title": title, "url": reverse(name, args=[enterprise.pk])}
        for capability, title, name in RELATED_SECTIONS
        if can(user, capability)
    ]


def enterprise_detail(request, enterprise_id: int):
    enterprise = access_enterprise(request.user, enterprise_id)
    records = selectors.enterprise_records(enterprise)
    can_edit = can(request.user, "ledger.edit")
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            **records,
            "can_edit": can_edit,
            "can_edit_licences": can(request.user, "licences.edit"),
            "history": selectors.ledger_history(enterprise, records),
            "points": selectors.township_points(request.user, enterprise),
            "related": _related_sections(request.user, enterprise),
            "watchlist_form": forms.WatchlistAddForm() if can_edit and not enterprise.on_watchlist else None,
            "unwatch_form": forms.ReasonForm() if can_edit and enterprise.on_watchlist else None,
            "supervisor_form": forms.SupervisorForm(
                candidates=selectors.supervisor_candidates(enterprise),
                initial={"supervisor": enterprise.supervisor_id},
            )
            if can_edit and enterprise.is_zombie
            else None,
        },
    )


def _form_page(request, form, *, title: str, save, done_url, back_url: str, panel_url: str = ""):
    """Validate the form, run `save(form)` (a service call); service errors land on the named fields.
    `panel_url`: a fragment shown under the form (the credit-list screening of the enterprise)."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            _warn_credit_matches(request, obj)
            return redirect(done_url(obj) if callable(done_url) else done_url)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": title, "back_url": back_url, "panel_url": panel_url},
    )


def _warn_credit_matches(request, obj) -> None:
    """A saved enterprise that resembles a credit-list entry is flagged (never refused)."""
    if isinstance(obj, Enterprise) and can(request.user, "credit.screen"):
        found = enterprise_match_count(obj)
        if found:
            messages.warning(
                request,
                _("该企业与信用名单中 %(n)d 条记录相似或一致，请在企业页面“信用名单筛查”中核查并判定")
                % {"n": found},
            )


def _detail_url(enterprise) -> str:
    return reverse("registry:enterprise_detail", args=[enterprise.pk])


@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    require(request.user, "ledger.edit")
    form = forms.EnterpriseForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        title=_("新增企业"),
        back_url=reverse("registry:enterprise_list"),
        save=lambda f: services.enterprise_create(actor=request.user, **f.changes()),
        done_url=_detail_url,
    )


@require_http_methods(["GET", "POST"])
def enterprise_edit(request, enterprise_id: int):
    enterprise = access_enterprise(request.user, enterprise_id)
    require(request.user, "ledger.edit")
    form = forms.EnterpriseForm(request.POST or None, user=request.user, instance=enterprise)
    return _form_page(
        request,
        form,
        title=_("编辑企业：%(name)s") % {"name": enterprise.name},
        back_url=_detail_url(enterprise),
        done_url=_detail_url,
        save=lambda f: services.enterprise_update(
            actor=request.user, enterprise=enterprise, reason=f.cleaned_data.get("reason", ""), **f.changes()
        ),
    )


@require_http_methods(["GET", "POST"])
def furnace_create(request, enterprise_id: int):
    enterprise = access_enterprise(request.user, enterprise_id)
    require(request.user, "ledger.edit")
    form = forms.FurnaceForm(
        request.POST or None, user=request.user, initial={"status": Furnace.Status.IN_USE}
    )
    return _form_page(
        request,
        form,
        title=_("登记感应炉：%(name)s") % {"name": enterprise.name},
        back_url=_detail_url(enterprise),
        done_url=_detail_url(enterprise),
        save=lambda f: services.furnace_create(actor=request.user, enterprise=enterprise, **f.changes()),
    )


@require_http_methods(["GET", "POST"])
def furnace_edit(request, furnace_id: int):
    furnace = access_furnace(request.user, furnace_id)
    require(request.user, "ledger.edit")
    form = forms.FurnaceForm(request.POST or None, user=request.user, instance=furnace)
    return _form_page(
        request,
        form,
        title=_("编辑感应炉：%(number)s") % {"number": furnace.number},
        back_url=_detail_url(furnace.enterprise),
        done_url=_detail_url(furnace.enterprise),
        save=lambda f: services.furnace_update(
            actor=request.user, furnace=furnace, note=f.cleaned_data.get("reason", ""), **f.changes()
        ),
    )


@require_http_methods(["GET", "POST"])
def power_account_create(request, enterprise_id: int):
    enterprise = access_enterprise(request.user, enterprise_id)
    require(request.user, "ledger.edit")
    form = forms.PowerAccountForm(
        request.POST or None,
        user=request.user,
        initial={"division": enterprise.division_id, "address": enterprise.address},
    )
    return _form_page(
        request,
        form,
        title=_("登记电力户号：%(name)s") % {"name": enterprise.name},
        back_url=_detail_url(enterprise),
        done_url=_detail_url(enterprise),
        save=lambda f: services.power_account_create(
            actor=request.user, enterprise=enterprise, **f.changes()
        ),
    )


@require_http_methods(["GET", "POST"])
def power_account_edit(request, account_id: str):
    account = access_power_account(request.user, account_id)
    require(request.user, "ledger.edit")
    back = _detail_url(account.enterprise) if account.enterprise_id else reverse("registry:enterprise_list")
    form = forms.PowerAccountForm(request.POST or None, user=request.user, instance=account)
    return _form_page(
        request,
        form,
        title=_("编辑电力户号：%(id)s") % {"id": account.account_id},
        back_url=back,
        done_url=back,
        save=lambda f: services.power_account_update(
            actor=request.user, account=account, reason=f.cleaned_data.get("reason", ""), **f.changes()
        ),
    )


CAPACITY_PAGE_SIZE = 30


def capacity_request_list(request):
    """Capacity-increase requests in reach: by status, area, account or enterprise, sorted, 30 to a page; the
    power company and the ledger's editors file (by account number) and review them here."""
    params = {k: request.GET.get(k, "").strip()[:64] for k in ("status", "division", "q", "sort", "account")}
    if params["account"]:  # "file a request for account …": the account must be in reach
        account = access_power_account(request.user, params["account"])
        return redirect(reverse("registry:capacity_request_create", args=[account.account_id]) + "?back=list")
    rows = selectors.capacity_request_list(
        request.user,
        status=params["status"],
        division=params["division"][:12],
        q=params["q"],
        sort=params["sort"] or "new",
    )
    page, query = list_page(request, rows, CAPACITY_PAGE_SIZE)
    return render(
        request,
        "registry/capacity_request_list.html",
        {
            "page": page,
            "params": params,
            "query": query,
            "statuses": CapacityIncreaseRequest.Status.choices,
            "divisions": selectors.division_choices(request.user),
            "can_handle": services.may_handle_capacity(request.user),
            "account_input": forms.AccountPicker(
                {"id": "capacity-account", "maxlength": 32, "required": True}
            ).render("account", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def capacity_request_create(request, account_id: str):
    account = access_power_account(request.user, account_id)
    services.require_capacity_handler(request.user)
    if request.GET.get("back") == "list" or not account.enterprise_id:
        back = reverse("registry:capacity_request_list")
    else:
        back = _detail_url(account.enterprise)
    form = forms.CapacityRequestForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("登记增容申请：%(id)s") % {"id": account.account_id},
        back_url=back,
        done_url=back,
        save=lambda f: services.capacity_request_create(
            actor=request.user, account=account, **f.cleaned_data
        ),
    )


@require_http_methods(["GET", "POST"])
def capacity_request_decide(request, request_id: int):
    capacity_request = access_capacity_request(request.user, request_id)
    services.require_capacity_handler(request.user)
    account = capacity_request.account
    back = reverse("registry:capacity_request_list")
    form = forms.CapacityDecisionForm(request.POST or None)
    title = _("审核增容申请：%(id)s，%(from)s → %(to)s kVA") % {
        "id": account.account_id,
        "from": capacity_request.from_kva,
        "to": capacity_request.to_kva,
    }
    return _form_page(
        request,
        form,
        title=title,
        back_url=back,
        done_url=back,
        save=lambda f: services.capacity_request_decide(
            actor=request.user, request=capacity_request, **f.cleaned_data
        ),
    )


@require_http_methods(["GET", "POST"])
def licence_create(request, enterprise_id: int):
    enterprise = access_enterprise(request.user, enterprise_id)
    require(request.user, "licences.edit")
    form = forms.LicenceForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        title=_("登记生产许可证：%(name)s") % {"name": enterprise.name},
        back_url=_detail_url(enterprise),
        done_url=_detail_url(enterprise),
        panel_url=screening_panel_url(request, enterprise, "licence"),
        save=lambda f: services.licence_create(actor=request.user, enterprise=enterprise, **f.changes()),
    )


@require_http_methods(["GET", "POST"])
def licence_edit(request, licence_id: int):
    licence = access_licence(request.user, licence_id)
    require(request.user, "licences.edit")
    form = forms.LicenceForm(request.POST or None, user=request.user, instance=licence)
    return _form_page(
        request,
        form,
        title=_("编辑生产许可证：%(number)s") % {"number": licence.number},
        back_url=_detail_url(licence.enterprise),
        done_url=_detail_url(licence.enterprise),
        panel_url=screening_panel_url(request, licence.enterprise, "licence"),
        save=lambda f: services.licence_update(
            actor=request.user, licence=licence, reason=f.cleaned_data.get("reason", ""), **f.changes()
        ),
    )


def _enterprise_action(request, enterprise_id: int, form_class, action, form_kwargs=None):
    """A small POST form on the enterprise page (watchlist, supervisor): run the service, report, go back."""
    enterprise = access_enterprise(request.user, enterprise_id)
    require(request.user, "ledger.edit")
    form = form_class(request.POST, **(form_kwargs(enterprise) if form_kwargs else {}))
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        action(enterprise, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已保存"))
    return redirect(_detail_url(enterprise))


@require_POST
def watchlist_add(request, enterprise_id: int):
    return _enterprise_action(
        request,
        enterprise_id,
        forms.WatchlistAddForm,
        lambda e, **data: services.watchlist_add(actor=request.user, enterprise=e, **data),
    )


@require_POST
def watchlist_remove(request, enterprise_id: int):
    return _enterprise_action(
        request,
        enterprise_id,
        forms.ReasonForm,
        lambda e, **data: services.watchlist_remove(actor=request.user, enterprise=e, **data),
    )


@require_POST
def supervisor_assign(request, enterprise_id: int):
    return _enterprise_action(
        request,
        enterprise_id,
        forms.SupervisorForm,
        lambda e, **data: services.supervisor_assign(actor=request.user, enterprise=e, **data),
        form_kwargs=lambda e: {"candidates": selectors.supervisor_candidates(e)},
    )


def enterprise_suggest(request):
    """The enterprise picker's offers as <option>s for its <datalist>: the typed text comes as the value of
    the field named by `?field=`, or as `q`."""
    q = suggest_query(request)
    return render(
        request,
        "registry/_enterprise_options.html",
        {"enterprises": selectors.enterprise_suggestions(request.user, q)},
    )


def account_suggest(request):
    """The power-account picker's offers as <option>s for its <datalist> (registry.forms.AccountPicker)."""
    offers = selectors.account_suggestions(request.user, suggest_query(request))
    return render(request, "core/widgets/offers.html", {"offers": offers})


def enterprise_by_uscc(request, uscc: str):
    """A stable link by USCC (used by other apps and printed lists)."""
    return redirect(_detail_url(access_enterprise_by_uscc(request.user, uscc.strip().upper())))
