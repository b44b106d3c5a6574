"""The credit-list screening as the apps below the credit app see it (registry, cases): they call these
functions, and the credit app fills them in (`screener_register`, from its AppConfig.ready()). Without the
credit app installed every call is a no-op that finds nothing. Nothing here refuses anything: a match is
flagged (audited, the deciding roles told) and a person decides.

    enterprise_flag(actor=, enterprise=, context=)  # a new, renamed or re-registered enterprise, a licence,
                                                    # a restart request: audited, deciders notified
    enterprise_match_count(enterprise) -> int       # how many entries in force the enterprise resembles
    subjects_flags(subjects) -> [(subject, rows)]   # an import preview: each subject dict (name, uscc,
                                                    # person_name, division_code, row) with its matches
    screening_panel_url(request, enterprise, context)  # the credit app's screening fragment of an
                                                    # enterprise (pages load it with htmx), or ""
"""

from typing import Any, Protocol

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from steelwatch.accounts.roles import can


class Screener(Protocol):
    def flag_enterprise(self, *, actor, enterprise, context: str) -> list[Any]: ...

    def enterprise_matches(self, enterprise) -> list[Any]: ...

    def screen_rows(self, subjects: list[dict]) -> list[tuple[dict, list[dict]]]: ...


_screener: Screener | None = None


def screener_register(screener: Screener) -> None:
    global _screener
    _screener = screener


def enterprise_flag(*, actor, enterprise, context: str) -> list[Any]:
    return _screener.flag_enterprise(actor=actor, enterprise=enterprise, context=context) if _screener else []


def enterprise_match_count(enterprise) -> int:
    return len(_screener.enterprise_matches(enterprise)) if _screener else 0


def subjects_flags(subjects: list[dict]) -> list[tuple[dict, list[dict]]]:
    return _screener.screen_rows(subjects) if _screener and subjects else []


def screening_panel_url(request, enterprise, context: str) -> str:
    """The address of the enterprise's screening panel (matches, evidence, the match / no-match decision), for
    users who may screen; "" otherwise or without the credit app."""
    if enterprise is None or _screener is None or not can(request.user, "credit.screen"):
        return ""
    try:
        url = reverse("credit:enterprise_panel", args=[enterprise.pk])
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'context': context, 'next': request.path})}"
