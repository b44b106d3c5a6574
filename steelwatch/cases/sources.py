"""Records a case can be opened from (a power alert "alert:12", a tip "tip:34"). The apps that own them sit
above cases — they open cases through cases.services — so they register here in their AppConfig.ready(), and
cases links back to a record and opens a case from one without importing those apps (one-way layers)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseSource:
    ref_kind: str  # the prefix in Case.source_ref: "alert" in "alert:12"
    source: str  # the Case.Source it stands for
    url: Callable  # url(user, pk) -> the record's page if `user` may open it, else ""
    escalate: Callable  # escalate(user, pk, *, title, note) -> Case, through the owner's access and services
    offers: Callable | None = None  # offers(user, q) -> [(ref, label)]: the source picker's, in reach only


SOURCES: dict[str, CaseSource] = {}


def register_source(source: CaseSource) -> None:
    SOURCES[source.ref_kind] = source


def linked_source(source_ref: str) -> tuple[CaseSource | None, int]:
    """The registered source a reference such as "alert:12" points to, and the record's number."""
    kind, _, number = (source_ref or "").strip().partition(":")
    if not number.isdigit() or kind not in SOURCES:
        return None, 0
    return SOURCES[kind], int(number)


def source_offers(user, q: str, limit: int = 10) -> list[tuple[str, str]]:
    """The source picker's offers for the typed text, from every registered source the user may see: a
    reference ("alert:12") with its title (the account and enterprise, the tip's receipt and place)."""
    q = q.strip()
    if len(q) < 2:
        return []
    found: list[tuple[str, str]] = []
    for source in SOURCES.values():
        if source.offers is not None:
            found += source.offers(user, q)[:limit]
    return found[:limit]
