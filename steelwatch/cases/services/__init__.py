"""Writes to cases, one module per stage. `case_open` is the entry point every signal (tip, alert, patrol…)
uses; the workflow table `TRANSITIONS` and `case_transition` are in `workflow`."""

from ._common import (  # noqa: F401
    OPEN,
    REMIND_WORKING_DAYS,
    REVISIT_MONTHS,
    VERIFY_WORKING_DAYS,
    Check,
    Context,
    S,
    TransitionRefused,
    case_url,
    zombie_url,
)
from .actions import (  # noqa: F401
    CASE_ACTIONS,
    ENFORCEMENT_STATES,
    Action,
    actions_for,
)
from .closure import (  # noqa: F401
    closure_evidence_add,
    closure_status,
    cut_day,
)
from .deadlines import (  # noqa: F401
    case_reminders,
)
from .enforcement import (  # noqa: F401
    blacklist_propose,
    cut_order_execute,
    cut_order_issue,
    enforcement_record,
    may_work_on_task,
    task_assign,
    task_complete,
)
from .judicial import (  # noqa: F401
    judicial_record,
    judicial_refer,
    may_record_judicial,
)
from .revisits import (  # noqa: F401
    ZOMBIE_ACTIONS,
    may_do_revisit,
    restart_request_decide,
    restart_request_submit,
    revisit_complete,
    zombie_actions_for,
    zombie_supervise,
)
from .signoff import (  # noqa: F401
    revisit_assignee,
)
from .trace import (  # noqa: F401
    SeedEdge,
    SeedNode,
    trace_edge_add,
    trace_node_add,
    trace_seed,
)
from .workflow import (  # noqa: F401
    CAPABILITY_LABELS,
    FIELD,
    MOVES,
    OWNER,
    RECEIVER,
    RETURN,
    TRANSITIONS,
    Rule,
    case_attachment_add,
    case_link_case,
    case_link_enterprise,
    case_link_power_account,
    case_open,
    case_transition,
    rules_for,
    transitions_for,
)
