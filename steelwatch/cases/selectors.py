"""Reads of cases, already scoped by the access layer."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import can
from steelwatch.core.access import jurisdiction_q
from steelwatch.core.pages import LateRows
from steelwatch.geo.selectors import division_prefix
from steelwatch.registry.models import Enterprise
from steelwatch.registry.uscc import key_q

from .access import cases_for, restart_requests_for, revisits_for, zombie_sites_for
from .models import (
    Attachment,
    Case,
    CutOrder,
    JointTask,
    JudicialReferral,
    RestartRequest,
    Revisit,
    TraceNode,
)
from .sources import linked_source

CASE_SORTS = {
    "new": ("-created_at", "-pk"),
    "old": ("created_at", "pk"),
    "due": (F("verify_due").asc(nulls_last=True), "-pk"),
}


def case_list(
    user,
    *,
    state: str = "",
    source: str = "",
    q: str = "",
    overdue: bool = False,
    division: str = "",
    sort: str = "new",
    today=None,
) -> QuerySet:
    """The cases in reach; `state="open"` means every state still being handled (the home page's figure),
    `division` a district or township code (its subtree); newest first unless `sort` says "old" or "due"."""
    qs = (
        cases_for(user)
        .select_related("division__parent__parent", "enterprise")
        .exclude(Q(state=Case.State.TRANSFERRED) & ~jurisdiction_q(user))
    )  # incoming transfers are listed apart
    if state == "open":
        qs = qs.filter(state__in=Case.OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if division:
        qs = qs.filter(division__code__startswith=division_prefix(division))
    if source:
        qs = qs.filter(source=source)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(address__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(source_ref=q)
        )
    if overdue:
        qs = qs.filter(state=Case.State.VERIFYING, verify_due__lt=today or timezone.localdate())
    return qs.annotate(
        open_tasks=Count("tasks", filter=Q(tasks__status=JointTask.Status.OPEN), distinct=True)
    ).order_by(*CASE_SORTS.get(sort, CASE_SORTS["new"]))  # explicit: an aggregate drops Meta.ordering


def case_suggestions(user, q: str, limit: int = 10) -> list[tuple[str, str]]:
    """The case picker's offers: cases in reach whose number is `q` (a leading # allowed) or whose title holds
    it (at least 2 characters), newest first: (number, "#number title · state")."""
    q = q.strip().lstrip("#")
    if not q or (len(q) < 2 and not q.isdigit()):
        return []
    match = Q(title__icontains=q) | (Q(pk=int(q)) if q.isdigit() else Q())
    rows = cases_for(user).filter(match).order_by("-created_at", "-pk")[:limit]
    return [(str(c.pk), f"#{c.pk} {c.title} · {c.get_state_display()}") for c in rows]


def transfer_inbox(user) -> QuerySet:
    """Cases other jurisdictions hand to this user's jurisdiction, waiting to be accepted."""
    if not can(user, "cases.manage"):
        return Case.objects.none()
    return (
        cases_for(user)
        .filter(jurisdiction_q(user, "transfer_to"), state=Case.State.TRANSFERRED)
        .exclude(jurisdiction_q(user))
        .select_related("division", "transfer_to")
    )


def returned_transfers(user) -> QuerySet:
    """This jurisdiction's cases whose transfer the receiving side declined, with its reason (until next move)."""
    if not can(user, "cases.manage"):
        return Case.objects.none()
    return cases_for(user).filter(jurisdiction_q(user)).exclude(transfer_note="").select_related("division")


def enterprise_cases(user, enterprise: Enterprise) -> QuerySet:
    return cases_for(user).filter(enterprise=enterprise).select_related("division")


_PATROL = Q(revisits__kind=Revisit.Kind.PATROL)
_PENDING_PATROL = _PATROL & Q(revisits__status=Revisit.Status.PENDING)


ZOMBIE_SORTS = {
    "overdue": ("-has_overdue", "name", "pk"),
    "name": ("name", "pk"),
    "area": ("division_id", "name", "pk"),  # the ledger's order
}


def zombie_list(
    user,
    *,
    overdue: bool = False,
    restart: bool = False,
    q: str = "",
    division: str = "",
    sort: str = "overdue",
    today=None,
    ledger_order: bool = False,
) -> LateRows:
    """Idle enterprises in the user's reach with their supervisor, last patrol, next and overdue patrols;
    `q` searches the name (or the start of the USCC), `division` cuts to a district or township, `restart`
    keeps the sites with a restart request waiting. Ordered by sites with an overdue patrol first, then by name
    (or by name, or by area: ZOMBIE_SORTS; `ledger_order` is "area"), so that pages are stable; paged by key,
    the patrol figures are counted for the page's rows only."""
    today = today or timezone.localdate()
    sites = zombie_sites_for(user).filter(status=Enterprise.Status.IDLE)
    if q:
        sites = sites.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    if division:
        sites = sites.filter(division__code__startswith=division_prefix(division))
    late = Revisit.objects.filter(
        enterprise=OuterRef("pk"), kind=Revisit.Kind.PATROL, status=Revisit.Status.PENDING, due_date__lt=today
    )
    sites = sites.annotate(has_overdue=Exists(late))
    if overdue:
        sites = sites.filter(has_overdue=True)
    if restart:
        waiting = RestartRequest.objects.filter(
            enterprise=OuterRef("pk"), status=RestartRequest.Status.PENDING
        )
        sites = sites.filter(Exists(waiting))
    order = (
        ZOMBIE_SORTS["area" if ledger_order else sort] if sort in ZOMBIE_SORTS else ZOMBIE_SORTS["overdue"]
    )
    return LateRows(sites.order_by(*order), lambda rows: _patrol_figures(rows, today))


def _patrol_figures(sites: QuerySet, today) -> QuerySet:
    return sites.select_related("division__parent__parent", "supervisor").annotate(
        last_patrol=Max("revisits__done_at", filter=_PATROL & Q(revisits__status=Revisit.Status.DONE)),
        next_patrol=Min("revisits__due_date", filter=_PENDING_PATROL),
        overdue_patrols=Count(
            "revisits", filter=_PENDING_PATROL & Q(revisits__due_date__lt=today), distinct=True
        ),
        pending_restarts=Count(
            "restart_requests",
            distinct=True,
            filter=Q(restart_requests__status=RestartRequest.Status.PENDING),
        ),
    )


REVISIT_SORTS = {
    "due": ("due_date", "pk"),
    "due_desc": ("-due_date", "-pk"),
}
REVISIT_DUE_WINDOWS = ("overdue", "soon")
REVISIT_SOON_DAYS = 7  # "due soon" unless the list asks for another number of days


def revisit_list(
    user,
    *,
    q: str = "",
    division: str = "",
    status: str = "",
    due: str = "",
    within: int = REVISIT_SOON_DAYS,
    sort: str = "due",
    today=None,
) -> QuerySet:
    """The cases' revisits (回头看) in reach: `q` searches the enterprise (name or USCC) and the case (title, or
    its number), `division` cuts to a district or township (its subtree), `due` is "overdue" (pending, due
    before today) or "soon" (pending, due within `within` days); soonest due first unless `sort` says otherwise.
    Unknown filter values match nothing."""
    today = today or timezone.localdate()
    qs = (
        revisits_for(user)
        .filter(kind=Revisit.Kind.REVISIT)
        .select_related("case", "enterprise", "division__parent__parent", "assignee")
    )
    if not can(user, "cases.view"):
        qs = qs.filter(assignee=user)  # a grid officer or department staff: the revisits given to them
    if q:
        q = q.strip().lstrip("#")
        match = key_q(q, "enterprise__") or Q(enterprise__name__icontains=q) | Q(case__title__icontains=q)
        if q.isdigit():
            match |= Q(case_id=int(q))
        qs = qs.filter(match)
    if division:
        qs = qs.filter(division__code__startswith=division_prefix(division))
    if status:
        qs = qs.filter(status=status)
    if due == "overdue":
        qs = qs.filter(status=Revisit.Status.PENDING, due_date__lt=today)
    elif due == "soon":
        horizon = today + datetime.timedelta(days=max(0, within))
        qs = qs.filter(status=Revisit.Status.PENDING, due_date__gte=today, due_date__lte=horizon)
    elif due:
        qs = qs.none()
    return qs.order_by(*REVISIT_SORTS.get(sort, REVISIT_SORTS["due"]))


def zombie_patrols(user, enterprise: Enterprise) -> QuerySet:
    return (
        revisits_for(user)
        .filter(enterprise=enterprise, kind=Revisit.Kind.PATROL)
        .select_related("assignee", "done_by")
        .prefetch_related("attachments")
        .order_by("-due_date", "-id")
    )


def zombie_restart_requests(user, enterprise: Enterprise) -> QuerySet:
    return (
        restart_requests_for(user)
        .filter(enterprise=enterprise)
        .select_related("requested_by", "decided_by")
        .prefetch_related("attachments")
    )


def restart_findings(enterprise: Enterprise) -> list[Revisit]:
    """The site's patrols and revisits done in the last RESTART_FINDINGS_DAYS days, newest first: what the office
    sees beside a restart request (and what blocks its approval when one found production signs)."""
    since = timezone.now() - datetime.timedelta(days=settings.RESTART_FINDINGS_DAYS)
    return list(
        Revisit.objects.filter(enterprise=enterprise, status=Revisit.Status.DONE, done_at__gte=since)
        .select_related("done_by")
        .order_by("-done_at")
    )


def my_tasks(user) -> dict:
    """What waits for this user: joint tasks, cut orders to confirm, revisits and patrols, and (the police)
    referred cases to accept and conclude."""
    visible = cases_for(user)
    tasks = (
        JointTask.objects.filter(case__in=visible, status=JointTask.Status.OPEN)
        .filter(Q(owner=user) | Q(owner__isnull=True, department=user.department or "-"))
        .select_related("case")
    )
    cut_orders = CutOrder.objects.none()
    if can(user, "cut_orders.execute"):
        kinds = [k for k, dept in CutOrder.DEPARTMENT.items() if dept == user.department]
        cut_orders = CutOrder.objects.filter(
            case__in=visible, kind__in=kinds, status=CutOrder.Status.PENDING
        ).select_related("case", "power_account")
    revisits = (
        revisits_for(user)
        .filter(assignee=user, status=Revisit.Status.PENDING)
        .select_related("case", "enterprise")
    )
    referrals = JudicialReferral.objects.none()
    if can(user, "judicial.record"):
        referrals = JudicialReferral.objects.filter(
            case__in=visible,
            status__in=(JudicialReferral.Status.REFERRED, JudicialReferral.Status.ACCEPTED),
        ).select_related("case")
    return {
        "tasks": list(tasks),
        "cut_orders": list(cut_orders),
        "revisits": list(revisits),
        "referrals": list(referrals),
    }


def task_count(mine: dict) -> int:
    """How many things wait in `my_tasks(user)` (the home page's figure and the task page's count)."""
    return sum(len(items) for items in mine.values())


def case_attachments(case: Case) -> QuerySet:
    return case.attachments.select_related("uploaded_by", "closure_item", "task", "revisit")


def trace_graph(case: Case) -> dict:
    """Nodes and edges for an ECharts graph series."""
    categories = [{"name": str(label)} for _value, label in TraceNode.Kind.choices]
    index = {kind: i for i, kind in enumerate(TraceNode.Kind.values)}
    nodes = [
        {
            "id": str(n.pk),
            "name": n.label,
            "category": index[n.kind],
            "value": n.get_kind_display(),
            "symbolSize": 46 if n.kind == TraceNode.Kind.SOURCE else 34,
        }
        for n in case.trace_nodes.all()
    ]
    edges = [
        {
            "source": str(e.source_id),
            "target": str(e.target_id),
            "label": " ".join(
                x
                for x in [
                    e.label,
                    _("{quantity_t} 吨").format(quantity_t=e.quantity_t) if e.quantity_t is not None else "",
                ]
                if x
            ),
        }
        for e in case.trace_edges.all()
    ]
    return {"categories": categories, "nodes": nodes, "edges": edges}


def source_url(user, case: Case) -> str:
    """The page of the alert or tip a case came from (source_ref "alert:12" / "tip:34"), if the user may open
    it; otherwise "" (the reference is then shown as plain text)."""
    source, pk = linked_source(case.source_ref)
    return source.url(user, pk) if source else ""


def map_points(case: Case) -> list[dict]:
    """The site and every photo that carries a GPS position, for a coordinate plot (no map tiles offline)."""
    points = []
    site = case.enterprise if case.enterprise and case.enterprise.longitude is not None else case
    if site.longitude is not None and site.latitude is not None:
        points.append(
            {
                "name": str(site.address or case.title),
                "value": [float(site.longitude), float(site.latitude)],
                "kind": "site",
            }
        )
    photos = case.attachments.filter(gps_latitude__isnull=False, gps_longitude__isnull=False)
    points += [
        {"name": a.original_name, "value": [float(a.gps_longitude), float(a.gps_latitude)], "kind": "photo"}
        for a in photos
    ]
    return points


def dashboard_cards(user) -> list[dict]:
    cards = []
    if can(user, "cases.view"):
        url = reverse("cases:case_list")
        cards += [
            {
                "title": _("办理中案件"),
                "value": case_list(user, state="open").count(),
                "url": f"{url}?state=open",
            },
            {
                "title": _("核查超期案件"),
                "value": case_list(user, overdue=True).count(),
                "url": f"{url}?overdue=1",
                "tone": "alert",
            },
        ]
        overdue_patrols = zombie_list(user, overdue=True).rows.count()
        if overdue_patrols:
            cards.append(
                {
                    "title": _("巡查超期的僵尸企业"),
                    "value": overdue_patrols,
                    "url": reverse("cases:zombie_list") + "?overdue=1",
                    "tone": "alert",
                }
            )
        late_revisits = revisit_list(user, due="overdue").count()
        if late_revisits:
            cards.append(
                {
                    "title": _("超期未做的回头看"),
                    "value": late_revisits,
                    "url": reverse("cases:revisit_list") + "?due=overdue",
                    "tone": "alert",
                }
            )
        incoming = transfer_inbox(user).count()
        if incoming:
            cards.append(
                {"title": _("待接收移交案件"), "value": incoming, "url": f"{url}#inbox", "tone": "warn"}
            )
    if can(user, "cases.task"):
        count = task_count(my_tasks(user))
        cards.append(
            {
                "title": _("我的待办任务"),
                "value": count,
                "url": reverse("cases:my_tasks"),
                "tone": "warn" if count else "",
            }
        )
    return cards


def enforcement_totals(case: Case) -> dict:
    totals = {"fine_yuan": Decimal(0), "raw_material_t": Decimal(0), "product_t": Decimal(0)}
    for action in case.actions.all():
        for key in totals:
            totals[key] += getattr(action, key) or 0
    return totals


__all__ = [
    "Attachment",
    "case_list",
    "revisit_list",
    "transfer_inbox",
    "my_tasks",
    "trace_graph",
    "map_points",
    "dashboard_cards",
]
