"""Places pages of the city and district offices: grids (villages, boundary, officer) and villages, and the
division picker's JSON steps. Views parse and call access/selectors/services only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steelwatch.accounts.access import access_user, users_for
from steelwatch.accounts.roles import Role
from steelwatch.core.forms import add_service_errors, suggest_query

from . import selectors, services
from .access import access_grid, access_village
from .forms import GridForm, OfficerAssignForm, VillageForm
from .models import Division

PAGE_SIZE = 30


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def grid_list(request):
    params = {key: request.GET.get(key, "").strip()[:64] for key in ("q", "division", "no_officer")}
    grids = selectors.grid_list(
        request.user, q=params["q"], division=params["division"], no_officer=params["no_officer"] == "1"
    )
    page = Paginator(grids, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/grid_list.html",
        {
            "page": page,
            "params": params,
            "query": _query(request),
            "divisions": selectors.division_choices(request.user),
        },
    )


def _grid_form(request, instance=None) -> GridForm:
    township = request.POST.get("division") or (
        instance.division_id if instance else request.GET.get("division", "")
    )
    return GridForm(
        request.POST or None,
        instance=instance,
        township_choices=[
            (code, name)
            for code, name in selectors.division_choices(request.user, max_level=Division.Level.TOWNSHIP)
            if len(code) == 9
        ],
        village_choices=selectors.village_choices(request.user, township) if township else [],
    )


def _grid_save(request, form: GridForm, grid=None):
    data = form.cleaned_data
    return services.grid_save(
        actor=request.user,
        grid=grid,
        code=grid.code if grid else data["code"],
        name=data["name"],
        division_code=data["division"],
        village_codes=data["villages"],
        boundary=data["boundary"] or None,
        description=data["description"],
    )


@require_http_methods(["GET", "POST"])
def grid_create(request):
    selectors.grid_list(request.user)  # users.manage, or 403
    form = _grid_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            grid = _grid_save(request, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("geo:grid_detail", grid.pk)
    return render(request, "geo/grid_form.html", {"form": form, "title": _("新增网格")})


@require_http_methods(["GET", "POST"])
def grid_detail(request, grid_id: int):
    grid = access_grid(request.user, grid_id)
    form = _grid_form(request, instance=grid)
    if request.method == "POST" and form.is_valid():
        try:
            _grid_save(request, form, grid)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("geo:grid_detail", grid.pk)
    candidates = users_for(request.user).filter(role=Role.GRID_OFFICER, is_active=True).exclude(grid=grid)
    return render(
        request,
        "geo/grid_form.html",
        {
            "form": form,
            "grid": grid,
            "title": _("网格：%(name)s") % {"name": grid.name},
            "officers": selectors.grid_officers(grid),
            "assign_form": OfficerAssignForm(
                officer_choices=[
                    (u.pk, f"{u}（{u.username}）") for u in candidates.order_by("username")[:500]
                ]
            ),
        },
    )


@require_POST
def grid_officer_assign(request, grid_id: int):
    grid = access_grid(request.user, grid_id)
    officer_id = request.POST.get("officer", "")
    if not officer_id.isdigit():
        messages.error(request, _("请选择网格员"))
        return redirect("geo:grid_detail", grid.pk)
    officer = access_user(request.user, int(officer_id))
    try:
        services.grid_officer_assign(actor=request.user, grid=grid, officer=officer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已指定网格员"))
    return redirect("geo:grid_detail", grid.pk)


def village_list(request):
    params = {key: request.GET.get(key, "").strip()[:64] for key in ("q", "division")}
    page = Paginator(selectors.village_list(request.user, **params), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "geo/village_list.html",
        {
            "page": page,
            "params": params,
            "query": _query(request),
            "divisions": selectors.division_choices(request.user),
            "form": VillageForm(),
        },
    )


@require_POST
def village_create(request):
    selectors.village_list(request.user)  # users.manage, or 403
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            services.village_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, _("已保存"))
    return redirect("geo:village_list")


@require_POST
def village_rename(request, code: str):
    village = access_village(request.user, code)
    name = request.POST.get("name", "").strip()[:64]
    if name:
        services.village_update(actor=request.user, village=village, name=name)
        messages.success(request, _("已保存"))
    return redirect("geo:village_list")


@require_GET
def division_suggest(request):
    """The division picker's offers as <option>s for its <datalist> (see geo.forms.DivisionPicker)."""
    scope = "region" if request.GET.get("scope") == "region" else "mine"
    deepest = Division.Level.VILLAGE if request.GET.get("deepest") == "village" else Division.Level.TOWNSHIP
    offers = selectors.division_offers(request.user, suggest_query(request), scope=scope, deepest=deepest)
    return render(request, "geo/_division_options.html", {"divisions": offers})


@require_GET
def division_children(request):
    """The division picker's JSON: `?parent=CODE` gives its children, `?q=名称` searches by name; both
    inside the user's jurisdiction only."""
    items = selectors.division_children(
        request.user, parent_code=request.GET.get("parent", "")[:12], q=request.GET.get("q", "").strip()[:32]
    )
    return JsonResponse({"items": items})
