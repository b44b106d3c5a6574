"""The one door to field objects: by the division of the site (check-ins, findings), the grid's township
(plans) or the draw's division. Outside the jurisdiction = not found."""

from django.db.models import Q

from steelwatch.core.access import get_or_404, jurisdiction_q, require, scope_to_jurisdiction
from steelwatch.geo.models import Grid

from .models import (
    BudgetLine,
    Camera,
    CheckIn,
    Draw,
    DrawInspection,
    Expert,
    HazardFinding,
    Inspector,
    PatrolPlan,
    TrainingSession,
)


def grids_for(user):
    """Grids in the user's jurisdiction; a grid officer's own grid even when his division is narrower."""
    own = Q(pk=user.grid_id) if getattr(user, "grid_id", None) else Q(pk__in=[])
    return Grid.objects.filter(jurisdiction_q(user, "division") | own).select_related("division__parent")


def access_grid(user, code: str) -> Grid:
    return get_or_404(grids_for(user), code=code)


def plans_for(user):
    require(user, "field.view")
    return PatrolPlan.objects.filter(grid__in=grids_for(user)).select_related("grid")


def check_ins_for(user):
    """Check-ins of sites in the jurisdiction; an officer always sees his own."""
    mine = Q(officer=user) if getattr(user, "pk", None) else Q(pk__in=[])
    return CheckIn.objects.filter(jurisdiction_q(user, "division") | mine).select_related(
        "enterprise", "officer", "grid"
    )


def access_check_in(user, check_in_id: int) -> CheckIn:
    return get_or_404(check_ins_for(user), pk=check_in_id)


def draws_for(user):
    require(user, "field.view")
    return scope_to_jurisdiction(Draw.objects.select_related("item", "division"), user)


def access_draw(user, draw_id: int) -> Draw:
    return get_or_404(draws_for(user), pk=draw_id)


def published_draws():
    """The public page's draws: run and published (一公开). No user, no scope."""
    return Draw.objects.filter(status=Draw.Status.RUN, published=True).select_related("item", "division")


def inspections_for(user):
    """Drawn inspections the user is assigned to, and those of draws in his jurisdiction."""
    mine = Q(inspectors=user) if getattr(user, "pk", None) else Q(pk__in=[])
    return (
        DrawInspection.objects.filter(mine | jurisdiction_q(user, "draw__division"))
        .select_related("draw", "enterprise")
        .distinct()
    )


def inspectors_for(user):
    require(user, "field.view")
    return scope_to_jurisdiction(Inspector.objects.select_related("user"), user, "user__division")


def access_inspector(user, username: str) -> Inspector:
    return get_or_404(inspectors_for(user), user__username=username)


def hazards_for(user):
    require(user, "field.view")
    return scope_to_jurisdiction(
        HazardFinding.objects.select_related("enterprise"), user, "enterprise__division"
    )


def access_hazard(user, hazard_id: int) -> HazardFinding:
    return get_or_404(hazards_for(user), pk=hazard_id)


def cameras_for(user):
    require(user, "ledger.view")
    return scope_to_jurisdiction(Camera.objects.select_related("enterprise"), user, "enterprise__division")


def experts_for(user):
    """The expert panel is the city's: every official with field.view sees it whole."""
    require(user, "field.view")
    return Expert.objects.all()


def trainings_for(user):
    require(user, "field.view")
    return scope_to_jurisdiction(TrainingSession.objects.select_related("division"), user)


def budget_lines_for(user):
    """Budget lines of the user's units, each with what has been spent against it (`spent`)."""
    from django.db.models import DecimalField, Sum, Value
    from django.db.models.functions import Coalesce

    require(user, "field.view")
    spent = Coalesce(
        Sum("spendings__amount"), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    lines = BudgetLine.objects.select_related("division").annotate(spent=spent)
    return scope_to_jurisdiction(lines.order_by("-year", "division_id", "category"), user)


def consultations_for(user):
    """Consultations on cases the user can open."""
    from steelwatch.cases.access import cases_for

    from .models import Consultation

    require(user, "field.view")
    return Consultation.objects.filter(case__in=cases_for(user)).select_related("expert", "case")


def access_inspection(user, inspection_id: int) -> DrawInspection:
    return get_or_404(inspections_for(user), pk=inspection_id)


def items_for(user):
    """The item list (检查事项清单) is the city's: every official with field.view reads it whole."""
    from .models import InspectionItem

    require(user, "field.view")
    return InspectionItem.objects.all()


def active_items():
    """The item list a draw may use (the API looks an item up by its code here)."""
    from .models import InspectionItem

    return InspectionItem.objects.filter(active=True)


def access_item(code: str):
    return get_or_404(active_items(), code=code)


def capacity_cuts_for(user):
    from .models import CapacityCut

    require(user, "field.view")
    return scope_to_jurisdiction(
        CapacityCut.objects.select_related("enterprise", "case"), user, "enterprise__division"
    )
