"""The grid officer's phone page: today's and overdue sites of her grid and her drawn inspections, each with
its check-in form (position, checklist, finding, photos). static/js/patrol.js keeps a check-in and its photos
in the phone (IndexedDB) until the server has it; without the script the form posts as a plain form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steelwatch.accounts.roles import can
from steelwatch.core.access import require
from steelwatch.registry.access import access_enterprise

from . import access, checklists, forms, selectors
from .access import access_inspection
from .models import CheckIn
from .services import patrols


def patrol(request):
    require(request.user, "field.patrol")
    today = timezone.localdate()
    sites = [
        {**row, "checklist": checklists.checklist_for(row["enterprise"]), "inspection": None}
        for row in selectors.due_today(request.user, today)
    ]
    sites += [
        {"enterprise": i.enterprise, "state": "drawn", "next_due": None, "inspection": i,
         "checklist": checklists.checklist_for(i.enterprise)}
        for i in selectors.my_pending_inspections(request.user)
    ]  # fmt: skip
    return render(
        request,
        "field/patrol.html",
        {
            "sites": sites,
            "today": today,
            "grid": request.user.grid if request.user.grid_id else None,
            "findings": CheckIn.Finding.choices,
            "coord_systems": CheckIn.CoordSystem.choices,
            "recent": selectors.my_recent_check_ins(request.user)[:10],
        },
    )


def _answer(request, status: int, body: dict):
    """JSON for the page's script (it asks for it), else a message and back to the list."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    (messages.success if status == 201 else messages.error)(request, body["message"])
    return redirect("field:patrol")


@require_POST
def check_in(request):
    require(request.user, "field.patrol")
    form = forms.CheckInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = access_enterprise(request.user, data["enterprise_id"])
            inspection = (
                access_inspection(request.user, data["inspection_id"]) if data["inspection_id"] else None
            )
            ticked = set(request.POST.getlist("checklist"))
            recorded = patrols.check_in_record(
                actor=request.user,
                enterprise=enterprise,
                latitude=data["latitude"],
                longitude=data["longitude"],
                accuracy_m=data["accuracy_m"],
                coord_system=data["coord_system"],
                checked_at=data["checked_at"] or timezone.now(),
                checklist={key: key in ticked for key, _label in checklists.checklist_for(enterprise)},
                finding=data["finding"],
                note=data["note"],
                photos=request.FILES.getlist("photos"),
                inspection=inspection,
                client_ref=data["client_ref"],
            )
        except Http404:
            return _answer(request, 404, {"message": _("该企业不在您的管辖范围内"), "errors": {}})
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            labels = checklists.flag_labels(recorded.flags)
            text = _("已签到：%(name)s") % {"name": enterprise.name}
            return _answer(
                request,
                201,
                {"id": recorded.pk, "flags": recorded.flags, "flag_labels": labels, "alert_id": recorded.alert_id,
                 "message": "；".join([text, *labels])},
            )  # fmt: skip
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    text = "；".join(
        f"{form.fields[n].label if n in form.fields else ''} {' '.join(e)}".strip() for n, e in errors.items()
    )
    return _answer(request, 422, {"message": _("签到未提交：%(why)s") % {"why": text}, "errors": errors})


def enterprise_panel(request, enterprise_id: int):
    """The fragment on the enterprise and zombie pages: its cameras as links (never proxied), its recent
    check-ins, and its look-back hazards."""
    enterprise = access_enterprise(request.user, enterprise_id)
    return render(
        request,
        "field/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "cameras": access.cameras_for(request.user).filter(enterprise=enterprise),
            "check_ins": access.check_ins_for(request.user).filter(enterprise=enterprise)[:5],
            "hazards": access.hazards_for(request.user).filter(enterprise=enterprise)
            if can(request.user, "field.view")
            else [],
        },
    )


def case_consultations(request, case_id: int):
    """The fragment on the case page: expert consultations on the case, with their opinions."""
    from steelwatch.cases.access import access_case

    case = access_case(request.user, case_id)
    consultations = (
        access.consultations_for(request.user).filter(case=case) if can(request.user, "field.view") else []
    )
    return render(request, "field/_case_consultations.html", {"case": case, "consultations": consultations})
