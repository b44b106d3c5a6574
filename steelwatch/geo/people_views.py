"""The people pages of the city and district offices: users of their jurisdiction (create with a temporary
password, edit, deactivate, reset) and departments. They sit in geo because a user's division and grid are
picked from the tree, which ranks above accounts. Views parse and call access/selectors/services only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts import selectors, services
from steelwatch.accounts.access import access_user, users_for
from steelwatch.accounts.forms import DeactivateForm, UserForm
from steelwatch.accounts.roles import Department, Role
from steelwatch.core.forms import add_service_errors
from steelwatch.core.pages import list_page

from .access import access_grid, grids_for
from .selectors import division_choices

PAGE_SIZE = 30


def user_list(request):
    params = {
        key: request.GET.get(key, "").strip()[:64]
        for key in ("q", "role", "department", "division", "active")
    }
    page, query = list_page(request, selectors.user_list(request.user, **params), PAGE_SIZE)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "params": params,
            "query": query,
            "roles": Role.choices,
            "departments": Department.choices,
            "divisions": division_choices(request.user),
        },
    )


def _user_form(request, instance=None) -> UserForm:
    users_for(request.user)  # users.manage, or 403
    grantable = set(services.grantable_roles(request.user))
    return UserForm(
        request.POST or None,
        actor=request.user,
        instance=instance,
        role_choices=[(value, label) for value, label in Role.choices if value in grantable],
        division_choices=division_choices(request.user, max_level=5),
        grid_choices=[
            (g.pk, f"{g.division.name} · {g.name}") for g in grids_for(request.user).order_by("code")
        ],
    )


def _service_values(request, form: UserForm) -> dict:
    values = form.changes()
    grid_id = values.pop("grid_id")
    values["grid"] = access_grid(request.user, grid_id) if grid_id else None
    return values


@require_http_methods(["GET", "POST"])
def user_create(request):
    form = _user_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_invite(
                actor=request.user, username=form.cleaned_data["username"], **_service_values(request, form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _show_password(request, user, password)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("新增用户")})


@require_http_methods(["GET", "POST"])
def user_edit(request, user_id: int):
    target = access_user(request.user, user_id)
    form = _user_form(request, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **_service_values(request, form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "title": _("编辑用户：%(name)s") % {"name": target},
            "target": target,
            "deactivate_form": DeactivateForm(),
        },
    )


def _show_password(request, user, password: str):
    return render(request, "accounts/user_password.html", {"target": user, "password": password})


@require_POST
def user_reset(request, user_id: int):
    target = access_user(request.user, user_id)
    try:
        password = services.user_password_reset(actor=request.user, user=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:user_edit", target.pk)
    return _show_password(request, target, password)


@require_POST
def user_active(request, user_id: int):
    target = access_user(request.user, user_id)
    activate = request.POST.get("active") == "1"
    form = DeactivateForm(request.POST)
    if not activate and not form.is_valid():
        messages.error(request, _("停用须填写原因"))
        return redirect("people:user_edit", target.pk)
    try:
        services.user_set_active(
            actor=request.user,
            user=target,
            active=activate,
            reason="" if activate else form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已启用") if activate else _("已停用"))
    return redirect(reverse("people:user_edit", args=[target.pk]))


def department_list(request):
    return render(
        request, "accounts/department_list.html", {"departments": selectors.department_list(request.user)}
    )
