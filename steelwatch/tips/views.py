"""Staff pages for tips: list, intake, detail with actions, identity reveal, attachments, statistics."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.core.access import require
from steelwatch.core.pages import list_page, opened_url
from steelwatch.geo.forms import DivisionPicker
from steelwatch.geo.selectors import division_choices, division_code_for
from steelwatch.registry.access import access_enterprise, enterprises_for
from steelwatch.registry.forms import EnterprisePicker

from .access import access_attachment, access_reward, access_tip, identity_reveals_for, may_reveal, tips_for
from .forms import (
    SENSITIVE_FIELDS,
    IntakeForm,
    RewardPayForm,
    RewardProposeForm,
    add_service_errors,
    cascade_root,
)
from .models import Reward, Tip
from .selectors import STATUS_LABELS, duplicate_candidates, effective_status, tip_list, tip_reward, tip_stats
from .services import (
    reward_decide,
    reward_pay,
    reward_propose,
    tip_accept,
    tip_escalate,
    tip_merge,
    tip_note_add,
    tip_question_ask,
    tip_record,
    tip_reveal_identity,
    tip_update,
    tip_verify,
)
from .tasks import tip_stats_export_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


LIST_LIMIT = 500
PAGE_SIZE = 30


def tip_list_page(request):
    """The tips in reach, 30 to a page: status, reward state, area, keyword, overdue, sorting."""
    params = {k: request.GET.get(k, "").strip()[:64] for k in ("status", "q", "reward", "division", "sort")}
    overdue = request.GET.get("overdue") == "1"
    tips = tip_list(
        request.user,
        status=params["status"],
        overdue=overdue,
        q=params["q"],
        reward=params["reward"],
        division=params["division"][:12],
        sort=params["sort"] or "new",
    )
    page, query = list_page(request, tips, PAGE_SIZE)
    rows = [(t, code, STATUS_LABELS[code]) for t in page.object_list for code in [effective_status(t)]]
    return render(
        request,
        "tips/tip_list.html",
        {
            "tips": rows,
            "page": page,
            "query": query,
            "status": params["status"],
            "overdue": overdue,
            "q": params["q"],
            "reward": params["reward"],
            "division": params["division"],
            "sort": params["sort"],
            "divisions": division_choices(request.user),
            "reward_label": dict(Reward.Status.choices).get(params["reward"], params["reward"]),
            "statuses": Tip.Status.choices,
            "can_handle": can(request.user, "tips.handle"),
            "can_oversee": can(request.user, "tips.oversee"),
        },
    )


def enterprise_tips(request, enterprise_id: int):
    """A fragment for the enterprise page (htmx): the tips linked to the enterprise that this user may see."""
    enterprise = access_enterprise(request.user, enterprise_id)
    tips = tips_for(request.user).filter(enterprise=enterprise).order_by("-created_at")[:50]
    return render(
        request,
        "tips/_enterprise_tips.html",
        {"tips": [(t, code, STATUS_LABELS[code]) for t in tips for code in [effective_status(t)]]},
    )


@sensitive_post_parameters(*SENSITIVE_FIELDS)
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables("form")
def tip_new(request):
    """Staff intake (phone, e-mail, letter, WeChat); the receipt and key are shown once to pass on."""
    require(request.user, "tips.handle")
    form = IntakeForm(request.POST or None, root=cascade_root(request.user), areas=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            tip, key = tip_record(
                actor=request.user,
                channel=form.cleaned_data["channel"],
                files=request.FILES.getlist("files"),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "tips/intake_done.html", {"tip": tip, "key": key})
    return render(request, "tips/tip_new.html", {"form": form})


def tip_detail(request, tip_id: int):
    tip = access_tip(request.user, tip_id)
    reward = tip_reward(tip)
    status = effective_status(tip)
    return render(
        request,
        "tips/tip_detail.html",
        {
            "tip": tip,
            "open": request.GET.get("open", "")[:40],  # the action whose form failed: shown open
            "status": status,
            "status_label": STATUS_LABELS[status],
            "can_view_cases": can(request.user, "cases.view"),
            "can_propose": status in (Tip.Status.VERIFIED, Tip.Status.HANDLED)
            and can(request.user, "tips.handle"),
            "attachments": tip.attachments.all(),
            "notes": tip.notes.select_related("author"),
            "questions": tip.questions.all(),
            "supplements": tip.supplements.all(),
            "duplicates": duplicate_candidates(request.user, tip) if tip.merged_into_id is None else [],
            "merged": tip.duplicates.all(),
            "reward": reward,
            "can_handle": can(request.user, "tips.handle"),
            "can_reveal": may_reveal(request.user, tip),
            "can_reward": can(request.user, "tips.reward"),
            "propose_form": RewardProposeForm(),
            "pay_form": RewardPayForm(
                initial={"paid_on": datetime.date.today(), "amount": reward.amount if reward else None}
            ),
            "enterprise_input": EnterprisePicker(
                attrs={"id": "tip-enterprise", "aria-label": _("企业统一社会信用代码")}
            ).render("enterprise", tip.enterprise.uscc if tip.enterprise else ""),
            "division_input": DivisionPicker(
                attrs={"id": "tip-division", "aria-label": _("改派至行政区划代码")}
            ).render("division_code", ""),
            "handoff_overdue": tip.handoff_overdue(),
            "verify_overdue": tip.verify_overdue(),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("参数无效")) from None


def _enterprise_id(user, value) -> int:
    """The enterprise to link, by USCC (what officials know) or by ledger id; empty unlinks (0)."""
    value = (value or "").strip().upper()
    if not value:
        return 0
    if value.isdigit() and len(value) < 18:
        return int(value)
    found = enterprises_for(user).filter(uscc=value).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError(_("统一社会信用代码 {value} 不在您管辖范围的台账中").format(value=value))
    return found


def _pay(request, tip):
    form = RewardPayForm(request.POST)
    if not form.is_valid():
        raise ValidationError([f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()])
    return reward_pay(
        actor=request.user,
        reward=access_reward(request.user, tip.pk),
        paid_on=form.cleaned_data["paid_on"],
        amount=form.cleaned_data["amount"],
        reference=form.cleaned_data["reference"],
    )


def _propose(request, tip):
    form = RewardProposeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请选择奖励情形"))
    return reward_propose(actor=request.user, tip=tip, rule=form.cleaned_data["rule"])


# Staff actions on one tip: name → (service call, message on success).
ACTIONS = {
    "accept": (lambda r, t: tip_accept(actor=r.user, tip=t), _("已交办，进入核查")),
    "verify": (
        lambda r, t: tip_verify(
            actor=r.user, tip=t, result=r.POST.get("result", ""), note=r.POST.get("note", "")
        ),
        _("核查结论已记录"),
    ),
    "note": (
        lambda r, t: tip_note_add(actor=r.user, tip=t, text=r.POST.get("text", "")),
        _("内部备注已添加"),
    ),
    "ask": (
        lambda r, t: tip_question_ask(actor=r.user, tip=t, question=r.POST.get("question", "")),
        _("问题已记录，举报人凭回执查询时可见"),
    ),
    "link": (
        lambda r, t: tip_update(
            actor=r.user,
            tip=t,
            enterprise_id=_enterprise_id(r.user, r.POST.get("enterprise")),
            division_code=division_code_for(r.user, r.POST.get("division_code", "")),
            reason=r.POST.get("reason", ""),
        ),
        _("已更新"),
    ),
    "merge": (
        lambda r, t: tip_merge(
            actor=r.user,
            tip=t,
            into=access_tip(r.user, _int(r.POST.get("into"))),
            reason=r.POST.get("reason", ""),
        ),
        _("已合并"),
    ),
    "escalate": (lambda r, t: tip_escalate(actor=r.user, tip=t), _("已立案，举报状态随案件结果更新")),
    "propose": (_propose, _("奖励已申报，待区办公室审批")),
    "approve": (
        lambda r, t: reward_decide(
            actor=r.user, reward=access_reward(r.user, t.pk), approve=True, reason=r.POST.get("reason", "")
        ),
        _("奖励已批准"),
    ),
    "reject": (
        lambda r, t: reward_decide(
            actor=r.user, reward=access_reward(r.user, t.pk), approve=False, reason=r.POST.get("reason", "")
        ),
        _("已不予批准"),
    ),
    "pay": (_pay, _("奖励发放已登记")),
}


@require_POST
def tip_action(request, tip_id: int, action: str):
    tip = access_tip(request.user, tip_id)
    if action not in ACTIONS:
        return redirect("tips:tip_detail", tip.pk)
    call, done = ACTIONS[action]
    back = reverse("tips:tip_detail", args=[tip.pk])
    try:
        call(request, tip)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(opened_url(back, action))  # the failed form is shown open
    messages.success(request, done)
    return redirect(back)


@sensitive_post_parameters("reason")
@never_cache
@require_POST
@sensitive_variables("identity")
def tip_reveal(request, tip_id: int):
    """Show the reporter's identity once, to the handler who gave a reason (audited; not cached)."""
    tip = access_tip(request.user, tip_id)
    try:
        identity = tip_reveal_identity(actor=request.user, tip=tip, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(opened_url(reverse("tips:tip_detail", args=[tip.pk]), "reveal"))
    return render(request, "tips/reveal.html", {"tip": tip, "identity": identity})


def identity_reveals(request):
    """The offices' view of who looked at which reporter's identity, when and why."""
    reveals = list(identity_reveals_for(request.user)[:LIST_LIMIT])
    tips = tips_for(request.user).in_bulk([int(r.target_id) for r in reveals])
    return render(
        request,
        "tips/identity_reveals.html",
        {"rows": [(r, tips.get(int(r.target_id))) for r in reveals], "limit": LIST_LIMIT},
    )


def attachment(request, tip_id: int, attachment_id: int):
    item = access_attachment(request.user, tip_id, attachment_id)
    return files.serve(
        item.path,
        content_type=item.content_type,
        as_attachment=False,
        filename=f"附件-{item.pk}.{item.path.rsplit('.', 1)[-1]}",
    )


def stats(request):
    data = tip_stats(request.user)
    chart = {
        "channel": data["by_channel"],
        "district": data["by_district"],
        "outcome": data["by_outcome"],
        "month": data["by_month"],
    }
    return render(
        request,
        "tips/stats.html",
        {"stats": data, "chart": chart, "can_view": can(request.user, "tips.view")},
    )


@require_POST
def stats_export(request):
    """Start the statistics export (a background job); its page shows the progress, then the download."""
    require(request.user, "tips.stats")
    return redirect("core:job_status", tip_stats_export_start(user=request.user).pk)
