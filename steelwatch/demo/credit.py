"""Demo credit list in 武进区, decided by the market regulator (`market`) with the city office (`changzhou`) as
the level above: 常州市武进区鑫达特钢有限公司 in force (published, on /public/credit/), its legal representative
decided and awaiting publication, the off-ledger workshop of the demo case proposed by that case and notified
(defence window running), an entry of the list of abnormal operations removed at the end of its period — and a
new registration in 新北区 as 常州鑫達特殊鋼鐵（集團）有限公司, which the screening flags against the listed
enterprise (see its enterprise page). Deterministic; dates relative to the build day."""

import datetime

from django.conf import settings

from steelwatch.cases.models import Case
from steelwatch.credit.idnumber import id_check_char
from steelwatch.credit.models import Entry
from steelwatch.geo.models import Division
from steelwatch.registry.models import Enterprise
from steelwatch.registry.uscc import uscc_check_char

LISTED = "常州市武进区鑫达特钢有限公司"
SIMILAR = "常州鑫達特殊鋼鐵（集團）有限公司"
BASIS = "《市场监督管理严重违法失信名单管理办法》第九条"
AUTHORITY = "常州市武进区市场监督管理局"


def _uscc(division: str, n: int) -> str:
    body = f"91{division[:6]}MA{n:07d}"
    return body + uscc_check_char(body)


def _approval(decider, higher, asked: datetime.date, approved: datetime.date) -> list[tuple]:
    """The level above's approval of a serious-dishonesty listing, when the deployment asks for it."""
    if not settings.CREDIT_HIGHER_APPROVAL:
        return []
    return [(decider, "awaiting_approval", asked), (higher, "approved", approved)]


def credit_part(services, user, as_of: datetime.date) -> str:
    from steelwatch.cases import services as cases

    market, city, wujin, xinbei = (user(name) for name in ("market", "changzhou", "wujin", "xinbei"))

    def day(n: int) -> datetime.date:
        return as_of - datetime.timedelta(days=n)

    def take(entry, *moves):
        for actor, to, when in moves:
            services.entry_transition(actor=actor, entry=entry, to=to, today=when)
        return entry

    # 1. The example, in force since about three months.
    listed = services.entry_create(
        actor=market,
        subject_kind="enterprise",
        name=LISTED,
        enterprise_uscc=_uscc("320412", 9100001),
        legal_representative="王建国",
        reason="以废钢为原料使用中频炉生产“地条钢”并销售，已被依法取缔并处罚款",
        basis=BASIS,
        authority=AUTHORITY,
        document_number="武市监信列〔2026〕1号",
        penalty_document="武市监处〔2026〕17号",
        decided_on=day(110),
        division_code="320412",
    )
    take(listed, (market, "notified", day(125)))
    services.statement_record(
        actor=market, entry=listed, statement="对违法事实无异议，未提出申辩", on=day(122)
    )
    take(listed, *_approval(market, city, day(120), day(115)), (market, "decided", day(110)))
    take(listed, (market, "in_force", day(105)))

    # 2. Its legal representative: decided, publication due.
    body = "32048319750315201"
    person = services.entry_create(
        actor=market,
        subject_kind="person",
        person_name="王建国",
        person_id_number=body + id_check_char(body),
        reason="常州市武进区鑫达特钢有限公司法定代表人，对生产“地条钢”负有直接责任",
        basis=BASIS,
        authority=AUTHORITY,
        document_number="武市监信列〔2026〕2号",
        division_code="320412",
    )
    take(person, (market, "notified", day(20)))
    services.statement_record(actor=market, entry=person, statement="请求从轻处理", on=day(18))
    take(person, *_approval(market, city, day(15), day(10)), (market, "decided", day(3)))

    # 3. The demo case's off-ledger workshop: the case proposes it, the regulator notifies the party.
    proposed = "无执法中的案件，未提请"
    case = (
        Case.objects.filter(
            state=Case.State.ENFORCING, division__code__startswith="320412", enterprise__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if case is not None:
        proposal = cases.blacklist_propose(
            actor=wujin, case=case, reason="使用中频炉生产钢锭，已责令断电、取缔", legal_representative=""
        )
        from_case = services.entry_from_proposal(actor=market, proposal=proposal)
        take(from_case, (market, "notified", day(1)))
        proposed = from_case.name

    # 4. The list of abnormal operations: an entry that reached the end of its period and was removed.
    old = services.entry_create(
        actor=market,
        subject_kind="enterprise",
        list_kind="abnormal",
        name="常州市武进区永兴金属回收有限公司",
        enterprise_uscc=_uscc("320412", 9100002),
        reason="通过登记的住所无法联系",
        basis="《企业经营异常名录管理暂行办法》第四条",
        authority=AUTHORITY,
        document_number="武市监异〔2023〕8号",
        decided_on=day(3 * 365 + 20),
        ends_on=day(10),
        division_code="320412",
    )
    take(old, (market, "decided", day(3 * 365 + 20)), (market, "in_force", day(3 * 365 + 18)))
    take(old, (None, "removed", day(9)))

    # A new registration in 新北区 under a re-written name: flagged on its enterprise page, not refused.
    from steelwatch.registry import services as registry

    township = Division.objects.filter(parent_id="320411").order_by("code").first()
    new = registry.enterprise_create(
        actor=xinbei,
        uscc=_uscc("320411", 9100003),
        name=SIMILAR,
        division_id=township.code if township else "320411",
        address="新北区春江镇工业集中区",
        legal_representative="王建民",
        industry="特钢",
        status=Enterprise.Status.OPERATING,
    )
    return (
        f"信用名单 {Entry.objects.count()} 条（列入中：{LISTED}；待公示：王建国；已告知：{proposed}；期满移出：{old.name}），"
        f"新登记企业“{new.name}”（新北区，企业 #{new.pk}）筛查提示与名单企业相似"
    )
