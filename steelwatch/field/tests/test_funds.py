"""Funds: a paid tip reward is booked automatically on the rewards line of the tip's district (else the
city's) for the payout year, in the same transaction; without a rewards line nothing is booked."""

from decimal import Decimal

import pytest
from django.utils import timezone

from steelwatch.field.models import BudgetLine, Spending
from steelwatch.testing import client_for, make_enterprise, make_user
from steelwatch.tips import services as tips
from steelwatch.tips.models import RewardRule

pytestmark = pytest.mark.django_db


def _paid_reward(owner, township):
    handler = make_user("tip_handler", "320412", username="handler")
    tip, _key = tips.tip_submit(channel="web", content="有中频炉在生产", address="某村", division_code=township.code,
                                reporter={"name": "王举报", "phone": "13912345678"})  # fmt: skip
    tips.tip_update(actor=handler, tip=tip, enterprise_id=make_enterprise(township.code).pk)
    tips.tip_verify(actor=handler, tip=tip, result="verified")
    rule = RewardRule.objects.order_by("amount").first()
    reward = tips.reward_propose(actor=handler, tip=tip, rule=rule)
    tips.reward_decide(actor=owner, reward=reward, approve=True)
    tips.reward_claim(tip=tip, payment="王举报 工商银行 6222 0000 0000 0000")
    reward.refresh_from_db()
    return tips.reward_pay(actor=owner, reward=reward, paid_on=timezone.localdate(), amount=reward.amount)


def test_a_paid_reward_is_booked_on_the_districts_rewards_line(owner, scene):
    year = timezone.localdate().year
    line = BudgetLine.objects.create(year=year, division_id="320412", category="rewards", amount=100_000)
    BudgetLine.objects.create(year=year, division_id="320400", category="rewards", amount=500_000)
    reward = _paid_reward(owner, scene["township"])
    booked = Spending.objects.get()
    assert (booked.line, booked.amount, booked.source_ref) == (
        line,
        reward.paid_amount,
        f"reward:{reward.pk}",
    )
    page = client_for(owner).get(f"/field/funds/{line.pk}/").content.decode()
    assert f"reward:{reward.pk}" in page and f'<span id="spent">{reward.paid_amount}' in page
    assert Decimal(str(reward.paid_amount)) > 0


def test_without_a_rewards_line_the_payout_is_not_booked(owner, scene):
    BudgetLine.objects.create(
        year=timezone.localdate().year, division_id="320412", category="video", amount=1
    )
    _paid_reward(owner, scene["township"])
    assert Spending.objects.count() == 0
