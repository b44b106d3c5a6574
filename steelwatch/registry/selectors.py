"""Reads of the ledger, already scoped by the access layer."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import can
from steelwatch.core.audit import history_for
from steelwatch.core.pages import LateRows
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_choices, division_prefix  # noqa: F401 (used by registry forms)

from .access import capacity_requests_for, enterprises_for, furnaces_for, power_accounts_for
from .models import CapacityIncreaseRequest, Enterprise, Furnace, FurnaceStatusChange
from .uscc import code_key, key_q

ACTIVE_FURNACE_STATUSES = [Furnace.Status.IN_USE, Furnace.Status.SEALED]


def with_furnace_user(queryset: QuerySet) -> QuerySet:
    """Annotate `is_furnace_user`: it has a furnace that is in use or sealed (still on site)."""
    active = Furnace.objects.filter(enterprise=OuterRef("pk"), status__in=ACTIVE_FURNACE_STATUSES)
    return queryset.annotate(is_furnace_user=Exists(active))


# The same rows as is_furnace_user=True, found from the (far fewer) furnaces instead of probing every enterprise.
FURNACE_USER = Q(pk__in=Furnace.objects.filter(status__in=ACTIVE_FURNACE_STATUSES).values("enterprise_id"))


FLAG_FILTERS = {
    "foundry": Q(is_foundry=True),
    "special_steel": Q(is_special_steel=True),
    "formerly_banned": Q(formerly_banned=True),
    "watchlist": Q(on_watchlist=True),
    "furnace_user": FURNACE_USER,
    "off_ledger": Q(on_ledger=False),
    "no_grid": Q(grid__isnull=True),
}


def enterprise_list(user, *, division: str = "", status: str = "", flag: str = "", q: str = "") -> LateRows:
    """The ledger as `user` may see it, filtered (unknown filter values match nothing rather than everything), in
    ledger order (district, name): paged by key — the index `enterprise_ledger_order` answers the count and any
    page — and each page's rows fetched with their furnace count."""
    qs = with_furnace_user(enterprises_for(user)).select_related("division__parent__parent", "grid")
    if division:
        qs = qs.filter(division__code__startswith=division_prefix(division))
    if status:
        qs = qs.filter(status=status)
    if flag:
        qs = qs.filter(FLAG_FILTERS.get(flag, Q(pk__in=[])))
    if q:
        qs = qs.filter(ledger_search(q))
    return LateRows(qs.order_by("division_id", "name", "pk"), with_furnace_count)


def with_furnace_count(rows: QuerySet) -> QuerySet:
    return rows.annotate(furnace_count=Count("furnaces", distinct=True))


def ledger_search(q: str) -> Q:
    """A whole USCC or old registration number is a key, looked up by its index; anything else is a fragment of
    the name or address."""
    q = q.strip()
    key = code_key(q)
    if key and key[0] == "uscc":
        return Q(uscc=key[1])
    if key:
        return Q(registration_number=key[1]) | text_contains(q)
    return text_contains(q)


def text_contains(q: str) -> Q:
    # A fragment without letters (Chinese, digits) has no case: a plain LIKE matches the same rows as a
    # case-blind one, without upper-casing every row, and PostgreSQL's trigram indexes answer it.
    lookup = "contains" if q.upper() == q.lower() else "icontains"
    return Q(**{f"name__{lookup}": q}) | Q(**{f"address__{lookup}": q})


SUGGESTIONS = 10  # enterprises offered as one types a name or a code


def enterprise_suggestions(user, q: str) -> list[Enterprise]:
    """The enterprise picker's offers: the user's ledger firms whose name holds `q` or whose USCC starts with
    it (at least 2 characters), at most SUGGESTIONS, by name; none for someone who may not see the ledger."""
    q = q.strip()
    if len(q) < 2 or not can(user, "ledger.view"):
        return []
    found = enterprises_for(user).filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()))
    return list(found.select_related("division").order_by("name", "pk")[:SUGGESTIONS])


def account_suggestions(user, q: str) -> list[tuple[str, str]]:
    """The account picker's offers: the user's power accounts whose number starts with `q` or whose enterprise's
    name holds it (at least 2 characters), at most SUGGESTIONS: (number, "number · enterprise · area")."""
    q = q.strip()
    if len(q) < 2 or not (can(user, "ledger.view") or can(user, "alerts.view")):
        return []
    found = power_accounts_for(user).filter(Q(account_id__startswith=q) | Q(enterprise__name__icontains=q))
    rows = found.select_related("enterprise", "division__parent").order_by("account_id")[:SUGGESTIONS]
    return [
        (
            a.account_id,
            " · ".join(str(x) for x in (a.account_id, a.enterprise or a.address, a.division.area_name) if x),
        )
        for a in rows
    ]


def furnace_user_list(user) -> LateRows:
    return enterprise_list(user, flag="furnace_user")


# The home page's ledger figures: (title, flag of the ledger list, tone); each counts the list it links to.
LEDGER_CARDS = [
    (_("台账企业"), "", ""),
    (_("中(工)频炉使用企业"), "furnace_user", ""),
    (_("重点监控企业"), "watchlist", ""),
    (_("台账外企业（待清零）"), "off_ledger", "warn"),
]


def dashboard_cards(user) -> list[dict]:
    if not can(user, "ledger.view"):
        return []
    url = reverse("registry:enterprise_list") if _has_pages() else ""
    # The list's own rows, counted once (LateRows.count would first read keys for a page that is not shown).
    return [
        {
            "title": title,
            "value": enterprise_list(user, flag=flag).rows.count(),
            "url": f"{url}?flag={flag}" if url and flag else url,
            "tone": tone,
        }
        for title, flag, tone in LEDGER_CARDS
    ]


def _has_pages() -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse("registry:enterprise_list")
    except NoReverseMatch:
        return False
    return True


# --- the ledger pages ---


@dataclass(frozen=True)
class LedgerView:
    """A saved filter of the ledger with its own heading (the lists the notices ask for)."""

    slug: str
    flag: str
    heading: str
    description: str


LEDGER_VIEWS = {
    view.slug: view
    for view in [
        LedgerView(
            "furnace-users",
            "furnace_user",
            _("中(工)频炉使用企业清单"),
            _("在用或封存中频炉、工频炉的企业；拆除、销毁后自动移出。"),
        ),
        LedgerView(
            "watchlist",
            "watchlist",
            _("重点监控企业清单"),
            _(
                "根据大型变压器分布以及企业主营业务、工艺装备、废钢用量、电力容量和用电量、经营管理状况等综合确定。"
            ),
        ),
        LedgerView(
            "off-ledger",
            "off_ledger",
            _("台账外企业（待清零）"),
            _("排查发现、尚未纳入台账的企业：逐一核实后纳入台账或依法取缔，直至清零。"),
        ),
    ]
}


def furnace_list(user, *, enterprise_id: int | None = None, uscc: str = "", status: str = "") -> QuerySet:
    qs = furnaces_for(user)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if uscc:
        qs = qs.filter(enterprise__uscc=uscc.strip().upper())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("enterprise_id", "number")


def power_account_list(
    user, *, enterprise_id: int | None = None, account_id: str = "", division: str = ""
) -> QuerySet:
    qs = power_accounts_for(user).prefetch_related("capacity_requests")
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if account_id:
        qs = qs.filter(account_id__icontains=account_id.strip())
    if division:
        qs = qs.filter(division__code__startswith=division_prefix(division))
    return qs


def enterprise_records(enterprise: Enterprise) -> dict:
    """Everything the enterprise page lists, loaded up front: furnaces with history, accounts, licences."""
    today = datetime.date.today()
    licences = list(enterprise.licences.all())
    for licence in licences:
        licence.expired = licence.valid_until < today
    return {
        "furnaces": enterprise.furnaces.prefetch_related(
            Prefetch("status_history", FurnaceStatusChange.objects.select_related("recorded_by"))
        ),
        "accounts": enterprise.power_accounts.prefetch_related(
            Prefetch("capacity_requests", CapacityIncreaseRequest.objects.order_by("-requested_on"))
        ),
        "licences": licences,
    }


MAP_NEIGHBOURS = 300


def township_points(user, enterprise: Enterprise, limit: int = MAP_NEIGHBOURS) -> dict:
    """The enterprise's coordinates over the `limit` nearest others of its township that the user may see (for
    the map; a township of thousands would make the page heavy and the chart unreadable)."""
    if enterprise.longitude is None or enterprise.latitude is None:
        return {"here": [], "others": []}
    dx = ExpressionWrapper(F("longitude") - enterprise.longitude, output_field=FloatField())
    dy = ExpressionWrapper(F("latitude") - enterprise.latitude, output_field=FloatField())
    others = (
        enterprises_for(user)
        .filter(
            division__code__startswith=enterprise.division_id[:9],
            longitude__isnull=False,
            latitude__isnull=False,
        )
        .exclude(pk=enterprise.pk)
        .annotate(distance=dx * dx + dy * dy)
        .order_by("distance", "pk")
        .values_list("name", "longitude", "latitude")[:limit]
    )
    here = [[float(enterprise.longitude), float(enterprise.latitude), enterprise.name]]
    return {"here": here, "others": [[float(lng), float(lat), name] for name, lng, lat in others]}


def supervisor_candidates(enterprise: Enterprise):
    """Who may be named the enterprise's supervisor (监管责任人): active users whose jurisdiction covers it
    and who keep the ledger (offices, townships, grid officers) — not read-only users, tip handlers or
    departments' staff."""
    from steelwatch.core.notify import users_with

    return users_with("ledger.edit", enterprise.division_id)


# --- the audit history of a ledger record, in words a clerk reads ---

ACTION_LABELS = {"create": _("新建"), "update": _("修改"), "delete": _("删除")}


@dataclass
class HistoryEntry:
    at: datetime.datetime
    actor: object
    action: str
    reason: str
    changes: list[tuple[str, str, str]]
    is_create: bool = False


def _display(field, value, divisions: dict) -> str:
    if value in (None, ""):
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if field.is_relation and field.related_model is Division:
        return f"{divisions.get(value, '')}（{value}）"
    return str(value)


def history_entries(target) -> list[HistoryEntry]:
    """`history_for(target)` with Chinese field names and labels: who, when, before → after per field."""
    fields = {f.name: f for f in target._meta.concrete_fields}
    records = list(history_for(target))
    codes = {
        v
        for r in records
        for _k, b, a in r.changed_fields()
        for v in (b, a)
        if isinstance(v, str) and v.isdigit()
    }
    divisions = dict(Division.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    entries = []
    for record in records:
        changes = []
        for name, before, after in record.changed_fields():
            if name == "id":
                continue
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            changes.append((label, _display(field, before, divisions), _display(field, after, divisions)))
        entries.append(
            HistoryEntry(
                record.at,
                record.actor,
                str(ACTION_LABELS.get(record.action, record.action)),
                record.reason,
                changes,
                record.action == "create",
            )
        )
    return entries


def ledger_history(enterprise: Enterprise, records: dict) -> list[tuple[str, HistoryEntry]]:
    """The enterprise's history and that of its furnaces, power accounts and licences, newest first."""
    targets = [(str(_("企业信息")), enterprise)]
    targets += [(f"{_('设备')} {f.number}", f) for f in records["furnaces"]]
    targets += [(f"{_('电力户号')} {a.account_id}", a) for a in records["accounts"]]
    targets += [(f"{_('许可证')} {lic.number}", lic) for lic in records["licences"]]
    rows = [(label, entry) for label, target in targets for entry in history_entries(target)]
    return sorted(rows, key=lambda row: row[1].at, reverse=True)


CAPACITY_SORTS = {"new": ("-requested_on", "-pk"), "old": ("requested_on", "pk"), "kva": ("-to_kva", "-pk")}


def capacity_request_list(
    user, *, status: str = "", division: str = "", q: str = "", sort: str = "new"
) -> QuerySet:
    """Capacity-increase requests in reach, filtered by status, area (a division code prefix) and account or
    enterprise; newest first unless `sort` says otherwise."""
    qs = capacity_requests_for(user).select_related(
        "account__enterprise", "account__division__parent__parent"
    )
    if status:
        qs = qs.filter(status=status)
    if division:
        qs = qs.filter(account__division__code__startswith=division_prefix(division))
    if q:
        key = key_q(q.strip(), "account__enterprise__")  # a whole USCC is a key (the ledger's rule)
        qs = qs.filter(key or Q(account__account_id__icontains=q) | Q(account__enterprise__name__icontains=q))
    return qs.order_by(*CAPACITY_SORTS.get(sort, CAPACITY_SORTS["new"]))
