"""Licence supervision pages: the district's list (expiring, expired, under rectification, suspended, revoked)
and a licence's page with its self-inspections, rectification orders and decisions. Views parse and call."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steelwatch.accounts.roles import can
from steelwatch.core.access import get_or_404, require
from steelwatch.core.forms import Form
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_choices

from . import licences
from .access import access_licence
from .models import LicenceDecision, LicenceRectification

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SelfInspectionForm(Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    submitted_on = forms.DateField(label=gettext_lazy("提交日期"), widget=DATE)
    conforming = forms.BooleanField(
        label=gettext_lazy("自查结论：符合发证条件"), required=False, initial=True
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


class RectificationForm(Form):
    ordered_on = forms.DateField(label=gettext_lazy("责令日期"), widget=DATE)
    deadline = forms.DateField(label=gettext_lazy("整改期限"), widget=DATE)
    requirement = forms.CharField(label=gettext_lazy("整改要求"), max_length=300)
    document = forms.CharField(label=gettext_lazy("责令整改文书号"), max_length=64)


class RectificationCloseForm(Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("整改结果"),
        choices=[c for c in LicenceRectification.Outcome.choices if c[0] != "pending"],
    )
    outcome_on = forms.DateField(label=gettext_lazy("验收日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("验收意见"), max_length=300, required=False)


class DecisionForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("决定"), choices=LicenceDecision.Kind.choices)
    decided_on = forms.DateField(label=gettext_lazy("决定日期"), widget=DATE)
    document = forms.CharField(label=gettext_lazy("决定文书号"), max_length=64)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=300)


FORMS = {"self_inspection": SelfInspectionForm, "rectification": RectificationForm, "decision": DecisionForm}


def licence_board(request):
    require(request.user, "ledger.view")
    division = request.GET.get("division", "").strip()[:12]
    division = division if division.isdigit() else ""
    today = timezone.localdate()
    return render(
        request,
        "registry/licence_board.html",
        {
            "board": licences.licence_board(request.user, division=division, today=today),
            "labels": licences.STATUSES,
            "divisions": division_choices(request.user, max_level=Division.Level.DISTRICT),
            "division": division,
            "today": today,
        },
    )


def licence_detail(request, licence_id: int):
    licence = access_licence(request.user, licence_id)
    editable = can(request.user, "licences.edit")
    return render(
        request,
        "registry/licence_detail.html",
        {
            "licence": licence,
            "status": licences.supervision_status(licence),
            "labels": licences.STATUSES,
            "renewal_due": licences.renewal_due(licence),
            "inspections": licence.self_inspections.all(),
            "rectifications": licence.rectifications.all(),
            "decisions": licence.decisions.all(),
            "forms": {name: form() for name, form in FORMS.items()} if editable else {},
            "close_form": RectificationCloseForm(initial={"outcome_on": timezone.localdate()})
            if editable
            else None,
        },
    )


@require_POST
def licence_action(request, licence_id: int, action: str):
    licence = access_licence(request.user, licence_id)
    require(request.user, "licences.edit")
    if action == "close":
        order = get_or_404(licence.rectifications.all(), pk=request.POST.get("order"))
        form = RectificationCloseForm(request.POST)
    else:
        if action not in FORMS:
            raise Http404
        form = FORMS[action](request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("registry:licence_detail", licence.pk)
    data, actor = form.cleaned_data, request.user
    try:
        if action == "self_inspection":
            licences.licence_self_inspection_record(actor=actor, licence=licence, **data)
        elif action == "rectification":
            licences.licence_rectification_order(actor=actor, licence=licence, **data)
        elif action == "close":
            licences.licence_rectification_close(actor=actor, order=order, **data)
        else:
            licences.licence_decide(actor=actor, licence=licence, **data)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已保存"))
    return redirect("registry:licence_detail", licence.pk)
