"""Screening pages: the search form, the panel other pages embed (enterprise, licence form, restart request,
case) and the recorded decision. A POST carries an ID number, so that it never travels in a URL."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.core.access import require
from steelwatch.geo.selectors import division_code_for
from steelwatch.registry.access import access_enterprise

from . import forms, idnumber
from .screening import enterprise_subject, match_rows, screen, screening_decide


@sensitive_post_parameters("person_id_number")
@require_http_methods(["GET", "POST"])
def screen_page(request):
    require(request.user, "credit.screen")
    form = forms.ScreenForm(request.POST or None)
    rows, subject = None, {}
    if request.method == "POST" and form.is_valid():
        subject = {k: v.strip() for k, v in form.cleaned_data.items()}
        subject["division_code"] = division_code_for(request.user, subject["division_code"], scope="region")
        if any(subject.values()):
            rows = match_rows(screen(**subject))
    shown = {k: v for k, v in subject.items() if k != "person_id_number"}
    if subject.get("person_id_number"):  # for the decision forms: encrypted, never the number itself
        shown["id_token"] = idnumber.encrypt_id(subject["person_id_number"])
    return render(request, "credit/screen.html", {"form": form, "rows": rows, "subject": shown})


def enterprise_panel(request, enterprise_id: int):
    """The screening panel of a ledger enterprise (loaded by htmx into the enterprise, licence, restart and
    case pages): same enterprise scoping as the ledger."""
    require(request.user, "credit.screen")
    enterprise = access_enterprise(request.user, enterprise_id)
    context = request.GET.get("context", "enterprise")[:32]
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    next_url = next_url or reverse("registry:enterprise_detail", args=[enterprise.pk])
    return render(
        request,
        "credit/_screening_panel.html",
        {
            "rows": match_rows(screen(**enterprise_subject(enterprise))),
            "subject": enterprise_subject(enterprise),
            "screen_context": context,
            "next_url": next_url,
        },
    )


@sensitive_post_parameters("person_id_number", "id_token")
@sensitive_variables("person_id_number", "data")
@require_POST
def decide(request):
    require(request.user, "credit.screen")
    form = forms.DecisionForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data
        person_id_number = data["person_id_number"]
        if data["id_token"] and not person_id_number:
            try:
                person_id_number = idnumber.decrypt_id(data["id_token"])
            except RuntimeError:
                raise ValidationError(_("筛查信息已失效，请重新筛查")) from None
        screening_decide(
            actor=request.user,
            entry_id=data["entry_id"],
            verdict=data["verdict"],
            reason=data["reason"],
            name=data["name"],
            uscc=data["uscc"],
            person_name=data["person_name"],
            person_id_number=person_id_number,
            division_code=data["division_code"],
            context=data["context"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已记录筛查判定"))
    return redirect(next_url or "credit:screen")
