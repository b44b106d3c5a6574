"""Reads of the credit list, scoped by access.py; the public rows; what a viewer may see of an ID number."""

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from steelwatch.accounts.roles import can
from steelwatch.core.access import jurisdiction_q
from steelwatch.registry.uscc import code_key

from .access import entries_for, may_decide
from .models import Entry, EntryMeasure, ListKind, Measure

PENDING_STATES = (Entry.State.NOTIFIED, Entry.State.AWAITING_APPROVAL, Entry.State.DECIDED)


def entry_list(user, *, q: str = "", state: str = "", list_kind: str = "", subject_kind: str = ""):
    rows = entries_for(user).select_related("division")
    if q.strip():
        rows = rows.filter(entry_search(q))
    if state == "pending":  # waiting for someone: the party's statement, the approval, the publication
        rows = rows.filter(state__in=PENDING_STATES)
    elif state:
        rows = rows.filter(state=state)
    if list_kind:
        rows = rows.filter(list_kind=list_kind)
    if subject_kind:
        rows = rows.filter(subject_kind=subject_kind)
    return rows.order_by("-created_at", "-pk")


def entry_search(q: str) -> Q:
    """The ledger's key rule (registry.uscc.code_key, as `ledger_search`): a whole USCC or legacy 15-digit
    registration number is looked up by its index; anything else is a fragment of the name or document number
    (a plain LIKE when the text has no case, as Chinese has none)."""
    q = q.strip()
    key = code_key(q)
    if key:
        return Q(**{key[0]: key[1]})
    lookup = "contains" if q.upper() == q.lower() else "icontains"
    return Q(**{f"name__{lookup}": q}) | Q(**{f"document_number__{lookup}": q})


def in_force(today: datetime.date | None = None):
    """Entries on public view today: decided here, published, started, and not yet at their end date (they
    leave on it). Entries read from the sharing platform's files are for screening only: their own authority
    publishes them, this page does not republish them."""
    today = today or timezone.localdate()
    return (
        Entry.objects.filter(state=Entry.State.IN_FORCE, starts_on__lte=today)
        .exclude(source=Entry.Source.PLATFORM)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .order_by("-starts_on", "name", "pk")
    )


def public_row(e: Entry) -> dict:
    """What the public sees of an entry: name, USCC, list, basis, authority, document number, period. For a
    person, the name only — never an ID number, an address or the legal representative's details."""
    return {
        "name": e.name,
        "subject_kind": e.subject_kind,
        "uscc": e.uscc if not e.is_person else "",
        "list_kind": e.list_kind,
        "list_label": str(ListKind(e.list_kind).label),
        "basis": e.basis,
        "authority": e.authority,
        "document_number": e.document_number,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
    }


class PublicRows(Sequence):
    """The public rows as the page's Paginator and the API's `paginate` take them: counted in SQL, and only
    the window asked for is read and turned into public rows (the list may hold tens of thousands)."""

    FIELDS = ("pk", "name", "subject_kind", "uscc", "list_kind", "basis", "authority", "document_number")

    def __init__(self, today: datetime.date | None = None):
        self.rows = in_force(today).only(*self.FIELDS, "starts_on", "ends_on")

    def __len__(self) -> int:  # one COUNT in SQL (Paginator and paginate take len() of a sequence)
        return self.rows.count()

    def __getitem__(self, window):  # a slice (a page); an index gives one row
        if isinstance(window, slice):
            return [public_row(e) for e in self.rows[window]]
        return public_row(self.rows[window])


def public_rows(today: datetime.date | None = None) -> PublicRows:
    return PublicRows(today)


def department_entry_measures(user):
    """The measures of entries in the user's area that the user's department implements."""
    if not can(user, "credit.measures") or not user.department:
        return EntryMeasure.objects.none()
    return (
        EntryMeasure.objects.filter(
            jurisdiction_q(user, "entry__division"),
            measure__department=user.department,
            entry__state__in=Entry.LISTED_STATES,
        )
        .select_related("entry", "measure")
        .prefetch_related("actions")
        .order_by("-entry__starts_on", "entry__name")
    )


def measure_catalogue():
    return Measure.objects.all()


def dashboard_cards(user) -> list[dict]:
    if not can(user, "credit.view"):
        return []
    from django.urls import reverse
    from django.utils.translation import gettext as _

    # Each figure is the count of the list it links to (core/tests/test_home_counts.py).
    in_force_count = entry_list(user, state=Entry.State.IN_FORCE).count()
    pending = entry_list(user, state="pending").count()
    return [
        {
            "title": _("信用名单：列入中"),
            "value": in_force_count,
            "url": reverse("credit:entry_list") + "?state=in_force",
            "tone": "",
        },
        {
            "title": _("信用名单：待办"),
            "value": pending,
            "url": reverse("credit:entry_list") + "?state=pending",
            "tone": "warn" if may_decide(user) and pending else "",
        },
    ]
