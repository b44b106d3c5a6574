"""The steps on a case that are not state changes (`CASE_ACTIONS`), allowed to its managers in given states."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from steelwatch.accounts.roles import can
from steelwatch.core.access import user_covers_division

from ..models import (
    Case,
)
from ._common import OPEN, S, _require_manager, _require_state

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Action:
    """A step on a case that is not a state change, allowed to its managers in these states only."""

    states: tuple[str, ...]
    doing: "StrOrPromise"


ENFORCEMENT_STATES = (S.CONFIRMED, S.ENFORCING, S.CLOSING)
CASE_ACTIONS: dict[str, Action] = {
    "link": Action(OPEN, gettext_lazy("关联企业、户号或案件")),
    "attachment": Action(OPEN, gettext_lazy("上传材料")),
    "trace": Action(OPEN, gettext_lazy("记录溯源")),
    "task_assign": Action((S.REGISTERED, S.VERIFYING), gettext_lazy("分派核查任务")),
    "cut_order_issue": Action((S.VERIFYING, *ENFORCEMENT_STATES), gettext_lazy("下达断电断水指令")),
    "enforcement_record": Action(ENFORCEMENT_STATES, gettext_lazy("记录查处措施")),
    "blacklist_propose": Action((*ENFORCEMENT_STATES, S.REVISITING), gettext_lazy("提请列入严重失信名单")),
    "closure_evidence": Action((S.ENFORCING, S.CLOSING), gettext_lazy("上传取缔验收证据")),
    "judicial_refer": Action((*ENFORCEMENT_STATES, S.REVISITING), gettext_lazy("移送司法")),
}


def _require_action(actor, case: Case, name: str) -> None:
    action = CASE_ACTIONS[name]
    _require_manager(actor, case)
    _require_state(case, *action.states, doing=action.doing)


def actions_for(actor, case: Case) -> set[str]:
    """The steps (CASE_ACTIONS) `actor` may take on the case now; pages show only these forms."""
    if not (can(actor, "cases.manage") and user_covers_division(actor, case.division_id)):
        return set()
    return {name for name, action in CASE_ACTIONS.items() if case.state in action.states}
