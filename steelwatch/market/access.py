"""The one door to market objects: samples, rounds and plans by their division, supply records by their
holder's division. Outside the user's jurisdiction: Http404."""

from steelwatch.core.access import get_or_404, require, scope_to_jurisdiction

from .models import MillOutput, Sample, SamplePhoto, SamplingPlan, SamplingRound, SupplyRecord


def samples_for(user):
    require(user, "market.view")
    return scope_to_jurisdiction(
        Sample.objects.select_related("enterprise", "division", "round", "case"), user, "division"
    )


def rounds_for(user):
    require(user, "market.view")
    return scope_to_jurisdiction(SamplingRound.objects.select_related("plan", "division"), user, "division")


def plans_for(user):
    require(user, "market.view")
    return scope_to_jurisdiction(SamplingPlan.objects.select_related("division"), user, "division")


def supply_records_for(user):
    require(user, "market.view")
    return scope_to_jurisdiction(SupplyRecord.objects.select_related("holder"), user, "holder__division")


def mill_outputs_for(user):
    require(user, "market.view")
    return scope_to_jurisdiction(MillOutput.objects.select_related("mill"), user, "mill__division")


def access_sample(user, sample_id: int) -> Sample:
    return get_or_404(samples_for(user), pk=sample_id)


def access_round(user, round_id: int) -> SamplingRound:
    return get_or_404(rounds_for(user), pk=round_id)


def access_plan(user, plan_id: int) -> SamplingPlan:
    return get_or_404(plans_for(user), pk=plan_id)


def access_supply_record(user, record_id: int) -> SupplyRecord:
    return get_or_404(supply_records_for(user), pk=record_id)


def access_sample_photo(user, photo_id: int) -> SamplePhoto:
    """A sample's photo, reached only through a sample the user may open."""
    photo = get_or_404(SamplePhoto.objects.select_related("sample"), pk=photo_id)
    access_sample(user, photo.sample_id)
    return photo
