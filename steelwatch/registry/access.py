"""The one door to ledger objects."""

from steelwatch.core.access import get_or_404, require, scope_to_jurisdiction

from .models import CapacityIncreaseRequest, Enterprise, Furnace, PowerAccount, ProductionLicence


def enterprises_for(user):
    require(user, "ledger.view")
    return scope_to_jurisdiction(Enterprise.objects.all(), user)


def furnaces_for(user):
    require(user, "ledger.view")
    return scope_to_jurisdiction(Furnace.objects.select_related("enterprise"), user, "enterprise__division")


def power_accounts_for(user):
    require(user, "ledger.view")
    return scope_to_jurisdiction(PowerAccount.objects.select_related("enterprise"), user)


def licences_for(user):
    require(user, "ledger.view")
    return scope_to_jurisdiction(
        ProductionLicence.objects.select_related("enterprise"), user, "enterprise__division"
    )


def capacity_requests_for(user):
    require(user, "ledger.view")
    return scope_to_jurisdiction(
        CapacityIncreaseRequest.objects.select_related("account"), user, "account__division"
    )


def access_enterprise(user, enterprise_id: int) -> Enterprise:
    return get_or_404(
        enterprises_for(user).select_related("division", "grid", "supervisor"), pk=enterprise_id
    )


def access_enterprise_by_uscc(user, uscc: str) -> Enterprise:
    return get_or_404(enterprises_for(user), uscc=uscc)


def access_furnace(user, furnace_id: int) -> Furnace:
    return get_or_404(furnaces_for(user), pk=furnace_id)


def access_power_account(user, account_id: str) -> PowerAccount:
    return get_or_404(power_accounts_for(user), account_id=account_id)


def access_licence(user, licence_id: int) -> ProductionLicence:
    return get_or_404(licences_for(user), pk=licence_id)


def access_capacity_request(user, request_id: int) -> CapacityIncreaseRequest:
    return get_or_404(capacity_requests_for(user), pk=request_id)
