"""The office's field registers as simple pages: one list, create and edit view for each register described
in REGISTERS (rows from field.access, the form, the service that writes), and the pages with steps of their
own (a hazard's re-inspection, a training's attendance, a budget line's spending, an expert's consultations).
Draws, inspectors and coverage are in views_draws.py."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from steelwatch.accounts.roles import can
from steelwatch.core.access import get_or_404, require
from steelwatch.core.pages import list_page
from steelwatch.geo.access import access_division
from steelwatch.registry.access import access_enterprise_by_uscc

from . import access, office_forms, selectors, views_draws
from .models import (
    BudgetLine,
    Camera,
    CapacityCut,
    Expert,
    HazardFinding,
    InspectionItem,
    PatrolPlan,
    TrainingSession,
)
from .services import patrols, registers, safety
from .views_common import submit


@dataclass(frozen=True)
class Register:
    slug: str
    title: Promise
    rows: Callable  # user -> the queryset the user may see (field.access)
    write: str  # the capability that creates and edits
    form: type
    columns: list[tuple[Promise, Callable]]
    save: Callable  # (request, instance, form) -> the saved object; raises ValidationError or Http404
    detail: str = ""  # a row's own page (url name taking the pk), else its edit page
    new: Callable = field(default=lambda: None)  # the empty instance a create starts from
    form_kwargs: Callable = field(default=lambda request: {})


def _enterprise(request, form):
    return access_enterprise_by_uscc(request.user, form.cleaned_data["enterprise_uscc"].strip().upper())


def _save_camera(request, instance, form):
    site = _enterprise(request, form)
    return registers.register_save(
        actor=request.user, instance=instance, values={**form.values(), "enterprise": site},
        capability="field.manage", division_code=site.division_id, action="camera",
    )  # fmt: skip


def _save_in_division(capability: str, action: str):
    def save(request, instance, form):
        division = access_division(request.user, form.cleaned_data["division_code"].strip())
        return registers.register_save(
            actor=request.user, instance=instance, values={**form.values(), "division": division},
            capability=capability, division_code=division.code, action=action,
        )  # fmt: skip

    return save


def _save_plain(capability: str, action: str):
    def save(request, instance, form):
        return registers.register_save(
            actor=request.user, instance=instance, values=form.values(), capability=capability,
            division_code="", action=action,
        )  # fmt: skip

    return save


def _save_hazard(request, instance, form):
    if instance.pk:
        raise ValidationError({"hazard": _("已登记的隐患通过复查处理")})
    data = form.cleaned_data
    return safety.hazard_record(
        actor=request.user, enterprise=_enterprise(request, form), hazard=data["hazard"],
        found_on=data["found_on"], note=data["note"],
    )  # fmt: skip


def _save_capacity_cut(request, instance, form):
    if instance.pk:
        raise ValidationError({"document": _("已列入的企业通过其案件办理")})
    return safety.capacity_cut_list(
        actor=request.user, enterprise=_enterprise(request, form), **form.values()
    )


def _save_plan(request, instance, form):
    data = form.cleaned_data
    return patrols.patrol_plan_save(
        actor=request.user, grid=data["grid"], sites=data["sites"], every_days=data["every_days"],
        active=data["active"],
    )  # fmt: skip


# The labels are lazy: read when a page is drawn, in the user's language.
REGISTERS = {
    r.slug: r
    for r in [
        Register(
            "hazards", _("安全生产回头看"), access.hazards_for, "field.manage", office_forms.HazardForm,
            [(_("企业"), lambda h: h.enterprise.name), (_("重大隐患"), lambda h: h.get_hazard_display()),
             (_("发现日期"), lambda h: h.found_on), (_("整改期限"), lambda h: h.deadline),
             (_("状态"), lambda h: h.get_status_display())],
            _save_hazard, detail="field:hazard_detail", new=HazardFinding,
        ),
        Register(
            "capacity-cuts", _("压减产能名单"), access.capacity_cuts_for, "field.manage", office_forms.CapacityCutForm,
            [(_("企业"), lambda c: c.enterprise.name), (_("列入文件"), lambda c: c.document),
             (_("完成期限"), lambda c: c.deadline), (_("案件状态"), lambda c: c.case.get_state_display() if c.case else "—")],
            _save_capacity_cut, detail="field:capacity_cut_case", new=CapacityCut,
        ),
        Register(
            "plans", _("巡查计划"), access.plans_for, "field.manage", office_forms.PlanForm,
            [(_("网格"), lambda p: p.grid.name), (_("巡查对象"), lambda p: p.get_sites_display()),
             (_("巡查周期（天）"), lambda p: p.every_days), (_("启用"), lambda p: _("是") if p.active else _("否"))],
            _save_plan, new=PatrolPlan, form_kwargs=lambda request: {"grids": access.grids_for(request.user)},
        ),
        Register(
            "cameras", _("视频监控点"), access.cameras_for, "field.manage", office_forms.CameraForm,
            [(_("企业"), lambda c: c.enterprise.name), (_("安装位置"), lambda c: c.position),
             (_("建设/管理单位"), lambda c: c.owner), (_("状态"), lambda c: c.get_status_display()),
             (_("最近截图时间"), lambda c: c.last_snapshot_at)],
            _save_camera, new=Camera,
        ),
        Register(
            "experts", _("专家库"), access.experts_for, "experts.manage", office_forms.ExpertForm,
            [(_("姓名"), lambda e: e.name), (_("专业领域"), lambda e: e.field), (_("工作单位"), lambda e: e.organisation),
             (_("在库"), lambda e: _("是") if e.active else _("否"))],
            _save_plain("experts.manage", "expert"), detail="field:expert_detail", new=Expert,
        ),
        Register(
            "trainings", _("培训"), access.trainings_for, "field.manage", office_forms.TrainingForm,
            [(_("培训主题"), lambda t: t.topic), (_("培训日期"), lambda t: t.date), (_("授课人"), lambda t: t.trainer),
             (_("单位"), lambda t: t.division.name)],
            _save_in_division("field.manage", "training"), detail="field:training_detail", new=TrainingSession,
        ),
        Register(
            "funds", _("资金保障"), access.budget_lines_for, "field.manage", office_forms.BudgetLineForm,
            [(_("年度"), lambda b: b.year), (_("单位"), lambda b: b.division.name),
             (_("科目"), lambda b: b.get_category_display()), (_("预算（元）"), lambda b: b.amount),
             (_("已支出（元）"), lambda b: f"{b.spent:.2f}")],
            _save_in_division("field.manage", "budget_line"), detail="field:budget_detail", new=BudgetLine,
        ),
        Register(
            "items", _("检查事项清单"), access.items_for, "draws.manage", office_forms.ItemForm,
            [(_("事项编号"), lambda i: i.code), (_("检查事项"), lambda i: i.name), (_("类别"), lambda i: i.get_kind_display()),
             (_("抽查比例（%）"), lambda i: i.sampling_ratio), (_("启用"), lambda i: _("是") if i.active else _("否"))],
            _save_plain("draws.manage", "inspection_item"), new=InspectionItem,
        ),
    ]
}  # fmt: skip


def _register(slug: str) -> Register:
    if slug not in REGISTERS:
        raise Http404
    return REGISTERS[slug]


def home(request):
    require(request.user, "field.view")
    user = request.user
    cards = [
        {"url": reverse("field:coverage"), "count": access.grids_for(user).count(), "title": _("网格巡查覆盖")},
        {"url": reverse("field:draw_list"), "count": access.draws_for(user).count(), "title": _("双随机抽取")},
        {"url": reverse("field:inspector_list"), "count": access.inspectors_for(user).count(), "title": _("检查人员名录")},
        *[{"url": reverse("field:register_list", args=[r.slug]), "count": r.rows(user).count(), "title": r.title}
          for r in REGISTERS.values()],
    ]  # fmt: skip
    return render(request, "field/home.html", {"cards": cards})


def register_list(request, slug: str):
    register = _register(slug)
    rows = register.rows(request.user)
    page, query = list_page(request, rows, 30)
    table = [
        {"cells": [(label, value(obj)) for label, value in register.columns], "url": _row_url(register, obj)}
        for obj in page.object_list
    ]
    return render(
        request,
        "field/register_list.html",
        {"register": register, "page": page, "query": query, "table": table,
         "headers": [label for label, _value in register.columns], "can_write": can(request.user, register.write)},
    )  # fmt: skip


def _row_url(register: Register, obj) -> str:
    if register.detail:
        return reverse(register.detail, args=[obj.pk])
    return reverse("field:register_edit", args=[register.slug, obj.pk])


@require_http_methods(["GET", "POST"])
def register_edit(request, slug: str, pk: int | None = None):
    register = _register(slug)
    require(request.user, register.write)
    instance = get_or_404(register.rows(request.user), pk=pk) if pk else register.new()
    form = register.form(
        request.POST or None, instance=instance, user=request.user, **register.form_kwargs(request)
    )
    done = submit(
        request, form, lambda: register.save(request, instance, form), done=_("已保存"),
        to=lambda saved: _row_url(register, saved) if register.detail else reverse("field:register_list", args=[slug]),
        missing=(None, _("所选企业或区划不在您的管辖范围内")),
    )  # fmt: skip
    if done:
        return done
    title = (
        _("编辑：%(what)s") % {"what": register.title}
        if pk
        else _("新建：%(what)s") % {"what": register.title}
    )
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": title, "back_url": reverse("field:register_list", args=[slug])},
    )


@require_http_methods(["GET", "POST"])
def hazard_detail(request, pk: int):
    finding = access.access_hazard(request.user, pk)
    form = office_forms.ReinspectForm(request.POST or None, initial={"on": timezone.localdate()})
    write = lambda: safety.hazard_reinspect(actor=request.user, finding=finding, **form.cleaned_data)  # noqa: E731
    if done := submit(request, form, write, done=_("复查已记录"), to=request.path):
        return done
    return render(
        request,
        "field/hazard_detail.html",
        {"finding": finding, "form": form, "can_write": can(request.user, "field.manage")},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def capacity_cut_case(request, pk: int):
    """A listed plant's tasks are its case's steps: go to the case."""
    cut = get_or_404(access.capacity_cuts_for(request.user), pk=pk)
    if cut.case_id is None:
        raise Http404
    return redirect("cases:case_detail", cut.case_id)


@require_http_methods(["GET", "POST"])
def training_detail(request, pk: int):
    session = get_or_404(access.trainings_for(request.user), pk=pk)
    can_write = can(request.user, "field.manage") and can(request.user, "users.manage")
    people = selectors.training_candidates(request.user, session) if can_write else []
    if request.method == "POST":
        require(request.user, "field.manage")
        ticked = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        registers.attendance_record(
            actor=request.user, session=session,
            present=[u for u in people if u.pk in ticked], absent=[u for u in people if u.pk not in ticked],
        )  # fmt: skip
        messages.success(request, _("出勤已记录"))
        return redirect("field:training_detail", pk)
    present = set(session.attendance.filter(attended=True).values_list("user_id", flat=True))
    return render(
        request,
        "field/training_detail.html",
        {"session": session, "people": people, "present": present, "can_write": can_write,
         "attended": session.attendance.filter(attended=True).select_related("user"),
         "untrained": selectors.untrained(request.user, session.date.year) if can_write else []},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def budget_detail(request, pk: int):
    line = get_or_404(access.budget_lines_for(request.user), pk=pk)
    form = office_forms.SpendingForm(request.POST or None, initial={"date": timezone.localdate()})
    write = lambda: registers.spending_record(actor=request.user, line=line, **form.cleaned_data)  # noqa: E731
    if done := submit(request, form, write, done=_("支出已记录"), to=request.path):
        return done
    return render(
        request,
        "field/budget_detail.html",
        {"line": line, "form": form, "spendings": line.spendings.all(), "can_write": can(request.user, "field.manage")},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def expert_detail(request, pk: int):
    from steelwatch.cases.access import access_case

    expert = get_or_404(access.experts_for(request.user), pk=pk)
    ask = office_forms.ConsultationForm(request.POST if "question" in request.POST else None)

    def request_consultation():
        case = access_case(request.user, ask.cleaned_data["case_id"])
        return registers.consultation_request(
            actor=request.user, expert=expert, case=case, question=ask.cleaned_data["question"]
        )

    missing = ("case_id", _("没有该案件，或不在您的管辖范围内"))
    if done := submit(
        request, ask, request_consultation, done=_("咨询已登记"), to=request.path, missing=missing
    ):
        return done
    answer = office_forms.OpinionForm(request.POST if "opinion" in request.POST else None)
    if answer.is_bound and answer.is_valid():
        consultation = get_or_404(
            access.consultations_for(request.user), pk=request.POST.get("consultation"), expert=expert
        )
        registers.consultation_answer(actor=request.user, consultation=consultation, **answer.cleaned_data)
        messages.success(request, _("专家意见已记录"))
        return redirect("field:expert_detail", pk)
    return render(
        request,
        "field/expert_detail.html",
        {"expert": expert, "ask": ask, "answer": answer, "can_write": can(request.user, "field.manage"),
         "consultations": access.consultations_for(request.user).filter(expert=expert)},
    )  # fmt: skip


urlpatterns = [
    path("", home, name="home"),
    path("hazards/<int:pk>/", hazard_detail, name="hazard_detail"),
    path("trainings/<int:pk>/", training_detail, name="training_detail"),
    path("capacity-cuts/<int:pk>/", capacity_cut_case, name="capacity_cut_case"),
    path("funds/<int:pk>/", budget_detail, name="budget_detail"),
    path("experts/<int:pk>/", expert_detail, name="expert_detail"),
    *views_draws.urlpatterns,
    path("<slug:slug>/", register_list, name="register_list"),
    path("<slug:slug>/new/", register_edit, name="register_new"),
    path("<slug:slug>/<int:pk>/edit/", register_edit, name="register_edit"),
]
