"""Every write of the oversight app (keyword-only, typed, audited), one module per section."""

from .accountability import (  # noqa: F401
    RECTIFICATION_RULES,
    accountability_propose,
    rectification_actions_for,
    rectification_issue,
    rectification_transition,
    summons_record,
    visit_record,
)
from .campaigns import (  # noqa: F401
    campaign_copy,
    campaign_create,
    leading_group_save,
    task_unit_update,
)
from .documents import document_issue  # noqa: F401
from .evaluation import evaluation_notice, evaluation_run  # noqa: F401
from .pledges import pledge_round_create, pledge_sign  # noqa: F401
from .reminders import oversight_reminders  # noqa: F401
from .reports import report_round_add, report_submit  # noqa: F401
