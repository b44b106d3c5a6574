"""Market pages: the officers' home, the phone sample form, a sample's steps, rounds with the lab workbook
and the publication table, supply records with their import, a seller's page. Views parse and call."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.core.access import get_or_404, require
from steelwatch.core.notify import users_with
from steelwatch.core.pages import list_page
from steelwatch.core.sheets import Column, SheetSpec, write_workbook
from steelwatch.registry.access import access_enterprise, access_enterprise_by_uscc, enterprises_for
from steelwatch.registry.imports import upload_path, upload_store

from . import forms, selectors, services
from .access import access_round, access_sample, access_sample_photo, plans_for, rounds_for
from .lab_excel import write_lab_template
from .models import SamplingRound
from .supply_excel import write_supply_template

STEP_FORMS = {
    "receive": forms.ReceiveForm,
    "results": forms.ResultsForm,
    "serve": forms.ServeForm,
    "retest_request": forms.RetestForm,
    "retest_results": forms.ResultsForm,
    "finalize": forms.Form,
    "dispose": forms.DisposeForm,
}


def _workbook(write, filename: str) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        data = write(Path(folder) / "book.xlsx").read_bytes()
    return files.bytes_response(data, filename=filename)


def home(request):
    require(request.user, "market.view")
    return render(
        request,
        "market/home.html",
        {
            "rounds": selectors.rounds(request.user)[:10],
            "samples": selectors.sample_list(request.user)[:10],
            "deadlines": selectors.deadlines(request.user),
            "sellers": selectors.sellers(request.user)[:50],
            "can_sample": can(request.user, "market.sample"),
            "can_manage": can(request.user, "market.manage"),
            "can_goods": can(request.user, "market.goods"),
        },
    )


def sample_list(request):
    params = {key: request.GET.get(key, "").strip()[:64] for key in ("state", "verdict", "q", "window")}
    page, query = list_page(request, selectors.sample_list(request.user, **params), 30)
    return render(request, "market/sample_list.html", {"page": page, "params": params, "query": query})


def _crew_and_rounds(user):
    colleagues = [u.pk for u in users_with("market.sample", user.division_id) if u.pk != user.pk]
    return {
        "officers": selectors.users_by_pk(colleagues),
        "rounds": rounds_for(user).filter(state=SamplingRound.State.OPEN),
    }


def _unit_args(user, data: dict) -> dict:
    uscc = data.pop("enterprise_uscc", "").strip().upper()
    round_id = data.pop("round_id", None)
    args = {
        "enterprise": access_enterprise_by_uscc(user, uscc)
        if uscc and data["place_kind"] != "site"
        else None,
        "sampling_round": access_round(user, round_id) if round_id else None,
    }
    return {**data, **args, "officers": list(data.pop("officers"))}


@require_http_methods(["GET", "POST"])
def sample_new(request):
    require(request.user, "market.sample")
    form = forms.SampleForm(request.POST or None, **_crew_and_rounds(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.sample_create(
                actor=request.user,
                photos=request.FILES.getlist("photos"),
                **_unit_args(request.user, dict(form.cleaned_data)),
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        except Http404:
            form.add_error("enterprise_uscc", _("台账中没有该统一社会信用代码的企业，或不在您的管辖范围内"))
        else:
            messages.success(request, _("已登记样品 %(code)s") % {"code": sample.code})
            return redirect("market:sample_detail", sample.pk)
    return render(request, "market/sample_form.html", {"form": form, "title": _("登记抽样"), "photos": True})


@require_http_methods(["GET", "POST"])
def refusal_new(request):
    require(request.user, "market.sample")
    form = forms.RefusalForm(request.POST or None, **_crew_and_rounds(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.sample_refusal_record(
                actor=request.user, **_unit_args(request.user, dict(form.cleaned_data))
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        except Http404:
            form.add_error("enterprise_uscc", _("台账中没有该统一社会信用代码的企业，或不在您的管辖范围内"))
        else:
            messages.success(request, _("已记录拒检"))
            return redirect("market:sample_detail", sample.pk)
    return render(request, "market/sample_form.html", {"form": form, "title": _("记录拒检"), "photos": False})


def sample_detail(request, sample_id: int):
    sample = access_sample(request.user, sample_id)
    allowed = services.actions_for(request.user, sample)
    return render(
        request,
        "market/sample_detail.html",
        {
            "sample": sample,
            "steps": [(name, services.SAMPLE_RULES[name].label, STEP_FORMS[name]()) for name in allowed],
            "officers": sample.officers.all(),
            "photos": sample.photos.all(),
            "today": timezone.localdate(),
            "case_url": reverse("cases:case_detail", args=[sample.case_id])
            if sample.case_id and can(request.user, "cases.view")
            else "",
        },
    )


@require_POST
def sample_step(request, sample_id: int, step: str):
    sample = access_sample(request.user, sample_id)
    if step not in STEP_FORMS:
        raise Http404
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("market:sample_detail", sample.pk)
    data, actor = form.cleaned_data, request.user
    calls = {
        "receive": lambda: services.sample_receive(actor=actor, sample=sample, **data),
        "results": lambda: services.sample_results_record(
            actor=actor,
            sample=sample,
            measured=form.measured(),
            testing_body=data["testing_body"],
            tested_on=data["tested_on"],
        ),
        "serve": lambda: services.sample_serve(actor=actor, sample=sample, **data),
        "retest_request": lambda: services.sample_retest_request(actor=actor, sample=sample, **data),
        "retest_results": lambda: services.sample_retest_results(
            actor=actor, sample=sample, measured=form.measured(), tested_on=data["tested_on"]
        ),
        "finalize": lambda: services.sample_finalize(actor=actor, sample=sample),
        "dispose": lambda: services.sample_dispose(actor=actor, sample=sample, **data),
    }
    try:
        calls[step]()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except services.SampleRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已保存"))
    return redirect("market:sample_detail", sample.pk)


def sample_photo(request, photo_id: int):
    photo = access_sample_photo(request.user, photo_id)
    return files.serve(
        photo.path, filename=photo.original_name, content_type=photo.content_type, as_attachment=False
    )


# --- plans and rounds ------------------------------------------------------------------------------------


def round_list(request):
    require(request.user, "market.view")
    return render(
        request,
        "market/round_list.html",
        {
            "rounds": selectors.rounds(request.user),
            "plans": plans_for(request.user),
            "can_manage": can(request.user, "market.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_new(request):
    require(request.user, "market.manage")
    form = forms.PlanForm(request.POST or None, initial={"division_code": request.user.division_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("market:round_list")
    return render(
        request,
        "market/form.html",
        {"form": form, "title": _("新建抽查计划"), "back_url": reverse("market:round_list")},
    )


@require_http_methods(["GET", "POST"])
def round_new(request):
    require(request.user, "market.manage")
    form = forms.RoundForm(request.POST or None, plans=plans_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidates = (
            list(enterprises_for(request.user).filter(uscc__in=form.usccs()))
            if form.usccs()
            else list(selectors.round_candidates(request.user, data["plan"]))
        )
        try:
            sampling_round = services.round_create(
                actor=request.user,
                plan=data["plan"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                enterprises=candidates,
                site_names=form.sites(),
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("market:round_detail", sampling_round.pk)
    return render(
        request,
        "market/form.html",
        {"form": form, "title": _("新建抽查批次"), "back_url": reverse("market:round_list")},
    )


def round_detail(request, round_id: int):
    sampling_round = access_round(request.user, round_id)
    return render(
        request,
        "market/round_detail.html",
        {
            "round": sampling_round,
            "targets": sampling_round.targets.select_related("enterprise"),
            "samples": sampling_round.samples.select_related("enterprise").order_by("code"),
            "can_manage": can(request.user, "market.manage"),
            "can_sample": can(request.user, "market.sample"),
            "upload_form": forms.UploadForm(),
        },
    )


def round_lab_template(request, round_id: int):
    sampling_round = access_round(request.user, round_id)
    rows = [
        {"sample": s.code, "grade": s.grade, "diameter_mm": s.diameter_mm}
        for s in sampling_round.samples.filter(state__in=services.SAMPLE_RULES["results"].sources).order_by(
            "code"
        )
    ]
    return _workbook(lambda path: write_lab_template(path, rows), f"检验结果表-{sampling_round.pk}.xlsx")


@require_POST
def round_lab_upload(request, round_id: int):
    sampling_round = access_round(request.user, round_id)
    require(request.user, "market.sample")
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("market:round_detail", sampling_round.pk)
    token = upload_store(user=request.user, upload=form.cleaned_data["file"])
    return redirect("market:round_lab_preview", sampling_round.pk, token)


@require_http_methods(["GET", "POST"])
def round_lab_preview(request, round_id: int, token):
    sampling_round = access_round(request.user, round_id)
    require(request.user, "market.sample")
    path = upload_path(request.user.pk, token)
    if not path.is_file():
        raise Http404(_("未找到该上传文件"))
    if request.method == "POST":
        judged = services.round_results_import(actor=request.user, sampling_round=sampling_round, path=path)
        if judged.ok:
            path.unlink(missing_ok=True)
            messages.success(request, _("已录入 %(n)d 个样品的检验结果") % {"n": len(judged.results)})
            return redirect("market:round_detail", sampling_round.pk)
    else:
        judged = services.round_results_plan(sampling_round, path)
    return render(
        request, "market/lab_preview.html", {"round": sampling_round, "judged": judged, "token": token}
    )


@require_POST
def round_publish(request, round_id: int):
    sampling_round = access_round(request.user, round_id)
    try:
        services.round_publish(actor=request.user, sampling_round=sampling_round)
    except services.SampleRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已公布"))
    return redirect("market:round_detail", sampling_round.pk)


PUBLICATION_SHEET = SheetSpec(
    "抽查结果", tuple(Column(header, key, width=18) for key, header in selectors.PUBLICATION_COLUMNS)
)


def round_publication(request, round_id: int):
    sampling_round = access_round(request.user, round_id)
    rows = selectors.publication_rows(sampling_round)
    return _workbook(
        lambda path: write_workbook(path, [(PUBLICATION_SHEET, rows)]), f"抽查结果-{sampling_round.pk}.xlsx"
    )


# --- supply records ----------------------------------------------------------------------------------------


def supply_list(request):
    require(request.user, "market.view")
    flagged = request.GET.get("flagged") == "1"
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.supply_list(request.user, kind=kind, flagged=flagged), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "market/supply_list.html",
        {"page": page, "flagged": flagged, "kind": kind, "can_goods": can(request.user, "market.goods")},
    )


@require_http_methods(["GET", "POST"])
def supply_new(request):
    require(request.user, "market.goods")
    form = forms.SupplyForm(request.POST or None, initial={"holder_uscc": request.GET.get("holder", "")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            holder = access_enterprise_by_uscc(request.user, data.pop("holder_uscc").strip().upper())
            record = services.supply_record_create(actor=request.user, holder=holder, **data)
        except Http404:
            form.add_error("holder_uscc", _("台账中没有该统一社会信用代码的企业，或不在您的管辖范围内"))
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            if record.findings:
                messages.warning(request, "；".join(record.findings))
            else:
                messages.success(request, _("已保存，核查未发现问题"))
            return redirect("market:seller_detail", holder.pk)
    return render(
        request,
        "market/sample_form.html",
        {"form": form, "title": _("登记进货查验记录 / 钢坯来源"), "photos": False},
    )


@require_http_methods(["GET", "POST"])
def supply_import(request):
    require(request.user, "market.goods")
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = upload_store(user=request.user, upload=form.cleaned_data["file"])
        return redirect("market:supply_import_preview", token)
    return render(request, "market/supply_import.html", {"form": form})


@require_http_methods(["GET", "POST"])
def supply_import_preview(request, token):
    require(request.user, "market.goods")
    path = upload_path(request.user.pk, token)
    if not path.is_file():
        raise Http404(_("未找到该上传文件"))
    if request.method == "POST":
        result = services.supply_import(path=path, actor=request.user)
        if result.ok:
            path.unlink(missing_ok=True)
            messages.success(request, _("已导入 %(n)d 条记录") % {"n": result.created})
            return redirect("market:supply_list")
        plan = services.supply_import_plan(path, actor=request.user)
        plan.errors = result.errors
    else:
        plan = services.supply_import_plan(path, actor=request.user)
    return render(request, "market/supply_preview.html", {"plan": plan, "token": token})


def supply_template(request):
    require(request.user, "market.goods")
    return _workbook(write_supply_template, "进货记录导入模板.xlsx")


def seller_detail(request, enterprise_id: int):
    require(request.user, "market.view")
    enterprise = access_enterprise(request.user, enterprise_id)
    form = forms.MillOutputForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "market.goods")
        if form.is_valid():
            try:
                services.mill_output_record(actor=request.user, mill=enterprise, **form.cleaned_data)
            except ValidationError as error:
                forms.add_service_errors(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("market:seller_detail", enterprise.pk)
    records = selectors.supply_list(request.user, holder_id=enterprise.pk)
    return render(
        request,
        "market/seller_detail.html",
        {
            "enterprise": enterprise,
            "records": records[:200],
            "samples": selectors.samples_for_enterprise(request.user, enterprise),
            "balance": selectors.billet_balance(enterprise),
            "share": f"{(selectors.billet_gap_share() * 100).normalize():f}%",
            "form": form if can(request.user, "market.goods") else None,
            "can_goods": can(request.user, "market.goods"),
        },
    )


# --- public --------------------------------------------------------------------------------------------------


def public_rounds(request):
    return render(request, "market/public_rounds.html", {"rounds": selectors.published_rounds()})


def public_round(request, round_id: int):
    sampling_round = get_or_404(selectors.published_rounds(), pk=round_id)
    return render(
        request,
        "market/public_round.html",
        {
            "round": sampling_round,
            "rows": selectors.publication_rows(sampling_round),
            "columns": selectors.PUBLICATION_COLUMNS,
        },
    )
