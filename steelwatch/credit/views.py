"""Staff pages of the credit list: the list, an entry with its lifecycle, the measure catalogue and what each
department did. Views parse the request and call access/selectors/services; nothing else."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.cases.access import cases_for
from steelwatch.core.access import get_or_404, require
from steelwatch.core.audit import history_for
from steelwatch.core.pages import list_page
from steelwatch.registry.forms import add_service_errors

from . import catalogue, forms, selectors, services
from .access import access_entry, access_measure, access_proposal, may_decide
from .models import Entry, ListKind

PAGE_SIZE = 30


def _detail(entry) -> str:
    return reverse("credit:entry_detail", args=[entry.pk])


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def entry_list(request):
    params = {
        key: request.GET.get(key, "").strip()[:64] for key in ("q", "state", "list_kind", "subject_kind")
    }
    page, query = list_page(request, selectors.entry_list(request.user, **params), PAGE_SIZE)
    return render(
        request,
        "credit/entry_list.html",
        {
            "page": page,
            "params": params,
            "query": query,
            "states": [("pending", _("待办（待陈述、待审批、待公示）")), *Entry.State.choices],
            "list_kinds": ListKind.choices,
            "subject_kinds": Entry.SubjectKind.choices,
            "can_decide": may_decide(request.user),
            "implements": can(request.user, "credit.measures") and bool(request.user.department),
            "can_screen": can(request.user, "credit.screen"),
        },
    )


def entry_detail(request, entry_id: int):
    entry = access_entry(request.user, entry_id)
    decide = may_decide(request.user, entry)
    rules = services.rules_for(request.user, entry)
    id_number = entry.id_masked
    if decide and entry.id_ciphertext:
        id_number = services.entry_reveal_id(actor=request.user, entry=entry, purpose="entry_detail")
    return render(
        request,
        "credit/entry_detail.html",
        {
            "entry": entry,
            "id_number": id_number,
            "decide": decide,
            "transitions": [(r.move, r.move_label) for r in rules],
            "events": entry.events.select_related("actor"),
            "measures": entry.entry_measures.select_related("measure").prefetch_related("actions"),
            "audit": history_for(entry).exclude(action="credit_id_reveal")[:50] if decide else [],
            "case_visible": entry.case_id and cases_for(request.user).filter(pk=entry.case_id).exists()
            if can(request.user, "cases.view")
            else False,
            "text_form": forms.TextForm(),
            "can_edit": decide and entry.state in services.BEFORE_DECISION,
        },
    )


def _form_page(request, form, *, title: str, save, back_url: str):
    if request.method == "POST" and form.is_valid():
        try:
            entry = save(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect(_detail(entry) if isinstance(entry, Entry) else back_url)
    return render(request, "credit/form.html", {"form": form, "title": title, "back_url": back_url})


@sensitive_post_parameters("person_id_number")
@require_http_methods(["GET", "POST"])
def entry_create(request):
    require(request.user, "credit.decide")
    form = forms.EntryForm(
        request.POST or None, initial={"measures": [c for c, _ in forms._measure_choices()]}
    )

    def save(f):
        data = dict(f.cleaned_data)
        return services.entry_create(actor=request.user, **data)

    return _form_page(
        request, form, title=_("新增信用名单条目"), save=save, back_url=reverse("credit:entry_list")
    )


@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    entry = access_entry(request.user, entry_id)
    require(request.user, "credit.decide")
    initial = {name: getattr(entry, name) for name in services.EDITABLE_BEFORE_DECISION}
    initial["measures"] = list(entry.entry_measures.values_list("measure__code", flat=True))
    form = forms.EntryEditForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        title=_("完善条目：%(name)s") % {"name": entry.name},
        save=lambda f: services.entry_update(actor=request.user, entry=entry, **f.cleaned_data),
        back_url=_detail(entry),
    )


@require_POST
def entry_transition(request, entry_id: int):
    entry = access_entry(request.user, entry_id)
    try:
        services.entry_transition(
            actor=request.user,
            entry=entry,
            to=request.POST.get("to", "")[:32],
            reason=request.POST.get("reason", "")[:2000],
        )
    except services.TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已办理：%(state)s") % {"state": entry.get_state_display()})
    return redirect(_detail(entry))


def _text_action(request, entry_id: int, action):
    entry = access_entry(request.user, entry_id)
    form = forms.TextForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        action(entry, form.cleaned_data["text"], form.cleaned_data.get("on"))
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("已记录"))
    return redirect(_detail(entry))


@require_POST
def entry_statement(request, entry_id: int):
    return _text_action(
        request,
        entry_id,
        lambda entry, text, on: services.statement_record(
            actor=request.user, entry=entry, statement=text, on=on
        ),
    )


@require_POST
def entry_repair(request, entry_id: int):
    return _text_action(
        request,
        entry_id,
        lambda entry, text, on: services.repair_apply(
            actor=request.user, entry=entry, application=text, on=on
        ),
    )


@require_POST
def entry_from_proposal(request, proposal_id: int):
    """The action on the case page: the case's blacklist proposal becomes a credit-list entry."""
    proposal = access_proposal(request.user, proposal_id)
    try:
        entry = services.entry_from_proposal(actor=request.user, proposal=proposal)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect(reverse("cases:case_detail", args=[proposal.case_id]))
    messages.success(request, _("已转为信用名单条目，请告知当事人拟列入"))
    return redirect(_detail(entry))


# --- the measure catalogue and the departments ------------------------------------------------------------


def measure_list(request):
    if not (can(request.user, "credit.view") or can(request.user, "credit.measures")):
        require(request.user, "credit.catalogue")
    return render(
        request,
        "credit/measure_list.html",
        {"measures": selectors.measure_catalogue(), "can_edit": can(request.user, "credit.catalogue")},
    )


def _measure_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["list_kinds"] = ",".join(data["list_kinds"])
    return data


@require_http_methods(["GET", "POST"])
def measure_create(request):
    require(request.user, "credit.catalogue")
    form = forms.MeasureForm(request.POST or None)

    def save(f):
        data = _measure_values(f)
        data.pop("active", None)
        return catalogue.measure_create(actor=request.user, **data)

    return _form_page(
        request, form, title=_("新增联合惩戒措施"), save=save, back_url=reverse("credit:measure_list")
    )


@require_http_methods(["GET", "POST"])
def measure_edit(request, measure_id: int):
    measure = access_measure(request.user, measure_id)
    initial = {
        "code": measure.code,
        "name": measure.name,
        "basis": measure.basis,
        "department": measure.department,
        "list_kinds": measure.list_kinds.split(","),
        "active": measure.active,
    }
    form = forms.MeasureForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True

    def save(f):
        data = _measure_values(f)
        data.pop("code", None)
        return catalogue.measure_update(actor=request.user, measure=measure, **data)

    return _form_page(
        request,
        form,
        title=_("编辑措施：%(name)s") % {"name": measure.name},
        save=save,
        back_url=reverse("credit:measure_list"),
    )


def department_entries(request):
    require(request.user, "credit.measures")
    return render(
        request,
        "credit/department_entries.html",
        {"rows": selectors.department_entry_measures(request.user)[:300], "form": forms.MeasureActionForm()},
    )


@require_POST
def measure_action(request, entry_measure_id: int):
    require(request.user, "credit.measures")
    applied = get_or_404(selectors.department_entry_measures(request.user), pk=entry_measure_id)
    form = forms.MeasureActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        catalogue.measure_action_record(actor=request.user, entry_measure=applied, **form.cleaned_data)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("已记录实施情况"))
    return redirect(reverse("credit:department_entries"))
