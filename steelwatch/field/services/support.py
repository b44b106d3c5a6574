"""Funds: spending booked against a budget line; a paid tip reward is booked on the rewards line of the
tip's district for the payout year (tips calls this through tips.services.on_reward_paid)."""

from steelwatch.core.services import audited_create

from ..models import BudgetLine, Spending


def spending_book_reward(*, actor, reward) -> Spending | None:
    """Book a paid reward against the rewards line of the nearest unit (district, then city) that has one."""
    tip = reward.tip
    codes = [tip.division_id[:6], tip.division_id[:4] + "00"] if tip.division_id else []
    line = None
    for code in codes:
        line = BudgetLine.objects.filter(
            year=reward.paid_on.year, division_id=code, category=BudgetLine.Category.REWARDS
        ).first()
        if line:
            break
    if line is None:
        return None
    return audited_create(
        actor=actor,
        instance=Spending(
            line=line,
            date=reward.paid_on,
            amount=reward.paid_amount,
            description=f"举报奖励发放（奖励 #{reward.pk}）",
            source_ref=f"reward:{reward.pk}",
            recorded_by=actor if getattr(actor, "pk", None) else None,
        ),
        action="spending_book",
        division_code=line.division_id,
    )


def cameras_mark_stale(*, now=None) -> int:
    """Cameras whose last snapshot is older than settings.FIELD_CAMERA_STALE_HOURS are marked stale."""
    import datetime

    from django.conf import settings
    from django.db.models import Q
    from django.utils import timezone

    from ..models import Camera

    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.FIELD_CAMERA_STALE_HOURS)
    stale = Camera.objects.filter(status=Camera.Status.ONLINE).filter(
        Q(last_snapshot_at__lt=cutoff) | Q(last_snapshot_at__isnull=True)
    )
    return stale.update(status=Camera.Status.STALE)
