"""The one door to cases and everything hanging off them.

A case is visible to users who may view cases in its division's subtree, to the receiving office of a
pending transfer, to the office that transferred it away (read-only), to department staff (in that subtree) whose department has a task or a cut order on
it, and to the users a task or revisit is assigned to. Anything else is "not found".
"""

from django.db.models import Exists, OuterRef, Q

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Role, can
from steelwatch.core.access import get_or_404, jurisdiction_q, require, user_covers_division
from steelwatch.registry.models import Enterprise

from .models import Attachment, Case, CutOrder, JointTask, JudicialReferral, RestartRequest, Revisit


def _visible_q(user) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = Q(tasks__owner=user) | Q(revisits__assignee=user)
    if can(user, "cases.view"):
        q |= (
            jurisdiction_q(user)
            | (Q(state=Case.State.TRANSFERRED) & jurisdiction_q(user, "transfer_to"))
            | jurisdiction_q(user, "transferred_from")  # read-only: managing needs the case's own division
        )
    if user.department:
        kinds = [kind for kind, dept in CutOrder.DEPARTMENT.items() if dept == user.department]
        q |= jurisdiction_q(user) & (Q(tasks__department=user.department) | Q(cut_orders__kind__in=kinds))
    return q


def cases_for(user):
    """Every case `user` may see (a subquery keeps the joins from duplicating rows)."""
    visible = Case.objects.filter(_visible_q(user)).values("pk")
    return Case.objects.filter(pk__in=visible)


def access_case(user, case_id: int) -> Case:
    return get_or_404(
        cases_for(user).select_related("division", "enterprise", "transfer_to", "transferred_from"),
        pk=case_id,
    )


def may_manage(user, case: Case) -> bool:
    return can(user, "cases.manage") and user_covers_division(user, case.division_id)


def task_owner_candidates(user, case: Case):
    """The people a joint-verification task on `case` may be given to: active department staff whose area
    holds the case's division (its district, its city), and only for a caller who may manage the case.
    Nobody from another district is ever among them."""
    if not may_manage(user, case):
        return User.objects.none()
    return User.objects.filter(
        role=Role.DEPARTMENT_STAFF,
        is_active=True,
        division__code__in=[d.code for d in case.division.ancestors()],
    ).order_by("department", "username")


def access_task_owner(user, case: Case, *, username: str | None = None, pk: int | None = None) -> User:
    """One task owner by username (API) or id (pages); anyone outside `task_owner_candidates` — another
    district's staff or no such user at all — is the same "not found", which names nobody."""
    lookup = {"username": username} if username is not None else {"pk": pk}
    return get_or_404(task_owner_candidates(user, case), **lookup)


def access_referral(user, case: Case) -> JudicialReferral:
    """The judicial track of a case the caller can see (none yet: not found)."""
    return get_or_404(JudicialReferral.objects.select_related("case"), case__in=cases_for(user), case=case)


def access_task(user, task_id: int) -> JointTask:
    return get_or_404(
        JointTask.objects.select_related("case", "owner").filter(case__in=cases_for(user)), pk=task_id
    )


def access_cut_order(user, order_id: int) -> CutOrder:
    return get_or_404(
        CutOrder.objects.select_related("case", "power_account").filter(case__in=cases_for(user)), pk=order_id
    )


def revisits_for(user):
    """Revisits of visible cases, and zombie patrols in the user's jurisdiction or assigned to them."""
    patrols = Q(case__isnull=True) & (
        Q(assignee=user) | (jurisdiction_q(user) if can(user, "cases.view") else Q(pk__in=[]))
    )
    return Revisit.objects.filter(Q(case__in=cases_for(user)) | patrols)


def require_revisit_reader(user) -> None:
    """The revisit list opens for the offices (cases.view) and for those given revisits (cases.task)."""
    if not can(user, "cases.view"):
        require(user, "cases.task")


def access_revisit(user, revisit_id: int) -> Revisit:
    return get_or_404(revisits_for(user).select_related("case", "enterprise", "assignee"), pk=revisit_id)


def restart_requests_for(user):
    if not can(user, "cases.view"):
        return RestartRequest.objects.none()
    return RestartRequest.objects.filter(jurisdiction_q(user, "enterprise__division"))


def access_restart_request(user, request_id: int) -> RestartRequest:
    return get_or_404(restart_requests_for(user).select_related("enterprise"), pk=request_id)


def zombie_sites_for(user):
    """Idle (zombie) sites — and those with a zombie history: patrols, restart requests — in the jurisdiction
    of a user who may view cases, those of a grid officer's own grid, and the sites a user is the named
    supervisor of."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Enterprise.objects.none()
    # Exists, not joins: one row per site, and no pass over every enterprise's patrols to find the idle ones.
    history = (
        Q(status=Enterprise.Status.IDLE)
        | Q(Exists(RestartRequest.objects.filter(enterprise=OuterRef("pk"))))
        | Q(Exists(Revisit.objects.filter(enterprise=OuterRef("pk"), kind=Revisit.Kind.PATROL)))
    )
    q = Q(supervisor=user)
    if can(user, "cases.view"):
        q |= jurisdiction_q(user) & history
    if user.role == Role.GRID_OFFICER and user.grid_id:
        q |= Q(grid_id=user.grid_id) & history  # the grid officer watches the zombies of their own grid
    return Enterprise.objects.filter(q)


def access_zombie_site(user, enterprise_id: int) -> Enterprise:
    return get_or_404(
        zombie_sites_for(user).select_related("division", "supervisor", "grid"), pk=enterprise_id
    )


def access_attachment(user, attachment_id: int) -> Attachment:
    """A file is served only to someone who may see what it is attached to."""
    owned = (
        Q(case__in=cases_for(user))
        | Q(revisit__in=revisits_for(user))
        | Q(restart_request__in=restart_requests_for(user))
    )
    return get_or_404(Attachment.objects.filter(owned), pk=attachment_id)
