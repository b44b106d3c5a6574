"""Sampling plans and their rounds (产品质量监督抽查管理暂行办法, SAMR Order 18 of 2019): which producers,
sellers and sites a round samples — drawn at random where the plan says so, each in its own field — and the
publication of a round's results once every sample's verdict is final or 拒检."""

import datetime
import random
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record
from steelwatch.core.services import audited_create, audited_update
from steelwatch.registry.models import Enterprise, ProductionLicence

from ..models import PlaceKind, RoundTarget, SamplingPlan, SamplingRound, SupplyRecord
from .sampling import S, SampleRefused, _check_division, _today


@transaction.atomic
def plan_create(
    *,
    actor,
    title: str,
    year: int,
    division_code: str,
    place_kinds: list[str],
    random_draw: bool = True,
    draw_count: int = 5,
    sampling_body: str = "",
    testing_body: str = "",
    note: str = "",
) -> SamplingPlan:
    require(actor, "market.manage")
    _check_division(actor, division_code)
    bad = [k for k in place_kinds if k not in PlaceKind.values]
    if bad or not place_kinds:
        raise ValidationError({"place_kinds": _("抽查领域应为 producer、seller、site 中的一项或多项")})
    return audited_create(
        actor=actor,
        action="sampling_plan_create",
        instance=SamplingPlan(
            title=title,
            year=year,
            division_id=division_code,
            place_kinds=place_kinds,
            random_draw=random_draw,
            draw_count=draw_count,
            sampling_body=sampling_body,
            testing_body=testing_body,
            note=note,
            created_by=actor,
        ),
    )


def producer_ids(enterprises) -> set[int]:
    """Which of `enterprises` are producers of steel bars: they hold a production licence (生产许可证) or
    declare billet purchases (rolling mills). The others are sampled where they sell."""
    pks = [e.pk for e in enterprises]
    licensed = ProductionLicence.objects.filter(enterprise_id__in=pks).values_list("enterprise_id", flat=True)
    mills = SupplyRecord.objects.filter(holder_id__in=pks, kind=SupplyRecord.Kind.BILLETS).values_list(
        "holder_id", flat=True
    )
    return set(licensed) | set(mills)


def place_kind_of(enterprise: Enterprise, place_kinds: list[str], producers: set[int]) -> str:
    """The field (抽查领域) an enterprise is sampled in under a plan: a producer in production when the plan
    samples producers, otherwise where it sells; the plan's own field when it names neither."""
    if PlaceKind.PRODUCER in place_kinds and enterprise.pk in producers:
        return PlaceKind.PRODUCER
    if PlaceKind.SELLER in place_kinds:
        return PlaceKind.SELLER
    return PlaceKind.PRODUCER if PlaceKind.PRODUCER in place_kinds else place_kinds[0]


@transaction.atomic
def round_create(
    *,
    actor,
    plan: SamplingPlan,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    division_code: str = "",
    enterprises: list[Enterprise] = (),
    site_names: list[str] = (),
    seed: str = "",
) -> SamplingRound:
    """A round of the plan. Its targets are the enterprises and sites named, or, when the plan draws at random,
    `plan.draw_count` of the candidates drawn with `seed` (recorded, so the draw can be repeated). Each target
    is sampled in its own field: producers (licence holders, rolling mills) in production, the others where
    they sell; sites only when the plan samples sites."""
    require(actor, "market.manage")
    division = _check_division(actor, division_code or plan.division_id)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("截止日期不能早于开始日期")})
    site_names = [n.strip()[:128] for n in site_names if n and n.strip()]
    if site_names and PlaceKind.SITE not in plan.place_kinds:
        raise ValidationError({"site_names": _("该抽查计划不抽查建筑工地")})
    seed = seed or uuid.uuid4().hex[:12]
    sampling_round = audited_create(
        actor=actor,
        action="sampling_round_create",
        instance=SamplingRound(
            plan=plan,
            name=name,
            division=division,
            starts_on=starts_on,
            ends_on=ends_on,
            draw_seed=seed if plan.random_draw else "",
            created_by=actor,
        ),
    )
    candidates = sorted(
        {e.pk: e for e in enterprises if division.contains(e.division_id)}.values(), key=lambda e: e.pk
    )
    if plan.random_draw and len(candidates) > plan.draw_count:
        candidates = sorted(random.Random(seed).sample(candidates, plan.draw_count), key=lambda e: e.pk)
    producers = producer_ids(candidates)
    targets = [
        RoundTarget(
            round=sampling_round,
            place_kind=place_kind_of(e, plan.place_kinds, producers),
            enterprise=e,
            drawn=plan.random_draw,
        )
        for e in candidates
    ]
    targets += [RoundTarget(round=sampling_round, place_kind=PlaceKind.SITE, site_name=n) for n in site_names]
    RoundTarget.objects.bulk_create(targets)
    audit_record(
        actor=actor,
        action="sampling_round_targets",
        target=sampling_round,
        after={
            "seed": sampling_round.draw_seed,
            "targets": [[t.place_kind, t.enterprise.uscc if t.enterprise else t.site_name] for t in targets],
        },
    )
    return sampling_round


@transaction.atomic
def round_publish(
    *, actor, sampling_round: SamplingRound, published_on: datetime.date | None = None
) -> SamplingRound:
    """Publish a round's results (public page and Excel): every sample must have its final verdict or be 拒检."""
    require(actor, "market.manage")
    if not user_covers_division(actor, sampling_round.division_id):
        raise SampleRefused(_("当前角色无权公布该批次"))
    open_samples = sampling_round.samples.exclude(state__in=[S.FINAL, S.DISPOSED, S.REFUSED]).count()
    if open_samples:
        raise SampleRefused(_("尚有 {count} 个样品结论未确定，不能公布").format(count=open_samples))
    return audited_update(
        actor=actor,
        instance=sampling_round,
        changes={"state": SamplingRound.State.PUBLISHED, "published_on": _today(published_on)},
        action="sampling_round_publish",
    )
