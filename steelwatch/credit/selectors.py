"""Reads of the credit list, scoped by access.py; the public rows; what a viewer may see of an ID number."""

import datetime

from django.db.models import Q
from django.utils import timezone

from steelwatch.accounts.roles import can
from steelwatch.core.access import jurisdiction_q

from .access import entries_for, may_decide
from .models import Entry, EntryMeasure, ListKind, Measure

PENDING_STATES = (Entry.State.NOTIFIED, Entry.State.AWAITING_APPROVAL, Entry.State.DECIDED)


def entry_list(user, *, q: str = "", state: str = "", list_kind: str = "", subject_kind: str = ""):
    rows = entries_for(user).select_related("division")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(uscc__iexact=q) | Q(document_number__icontains=q))
    if state == "pending":  # waiting for someone: the party's statement, the approval, the publication
        rows = rows.filter(state__in=PENDING_STATES)
    elif state:
        rows = rows.filter(state=state)
    if list_kind:
        rows = rows.filter(list_kind=list_kind)
    if subject_kind:
        rows = rows.filter(subject_kind=subject_kind)
    return rows.order_by("-created_at", "-pk")


def in_force(today: datetime.date | None = None):
    """Entries on public view today: published, started, and not yet at their end date (they leave on it)."""
    today = today or timezone.localdate()
    return (
        Entry.objects.filter(state=Entry.State.IN_FORCE, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .order_by("-starts_on", "name", "pk")
    )


def public_rows(today: datetime.date | None = None) -> list[dict]:
    """The public page's rows: name, USCC, list, basis, authority, document number, period. For a person, the
    name only — never an ID number, an address or the legal representative's details."""
    return [
        {
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
        for e in in_force(today)
    ]


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
