"""The demo's oversight: the city's leading group, a campaign with three phases, tasks and two report rounds
(武进 and 新北 reported, the others are flagged), a pledge round signed by one district, an evaluation, and a
summons and a rectification order for 溧阳市."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

SCAN = b"%PDF-1.4\n% demo signed pledge scan\n%%EOF\n"


def oversight_part(services, user, as_of: datetime.date) -> str:
    city = user("changzhou")
    services.leading_group_save(
        actor=city,
        division=city.division,
        name="常州市严防“地条钢”工作领导小组",
        office_name="常州市化解过剩产能实现脱困发展领导小组办公室",
        office_department="development_reform",
        contact="市发改委工业处 0519-85681065",
        members=[
            {"post": "leader", "department": "", "person": "分管副市长", "title": "副市长"},
            {
                "post": "office_head",
                "department": "development_reform",
                "person": "市发改委主任",
                "title": "主任",
            },
            {"post": "member", "department": "industry_it", "person": "市工信局局长", "title": "局长"},
            {
                "post": "member",
                "department": "market_regulation",
                "person": "市市场监管局局长",
                "title": "局长",
            },
            {
                "post": "member",
                "department": "power_company",
                "person": "常州供电公司总经理",
                "title": "总经理",
            },
        ],
    )
    start = as_of - datetime.timedelta(days=45)
    day = datetime.timedelta(days=1)
    campaign = services.campaign_create(
        actor=city,
        division=city.division,
        title="严防“地条钢”死灰复燃专项行动",
        document_number="常化解办〔2026〕1号",
        goals="全覆盖、无死角排查，坚决取缔违法生产销售“地条钢”，巩固整治成果。",
        starts_on=start,
        ends_on=as_of + 30 * day,
        phases=[
            {"name": "全面梳理排查", "starts_on": start, "ends_on": start + 14 * day},
            {"name": "签订目标责任书", "starts_on": start + 15 * day, "ends_on": start + 18 * day},
            {"name": "总结验收", "starts_on": as_of + 20 * day, "ends_on": as_of + 30 * day},
        ],
        tasks=[
            {
                "title": "拉网式梳理排查中(工)频炉使用企业",
                "lead_department": "industry_it",
                "supporting_departments": ["development_reform", "market_regulation", "environment"],
                "due_on": start + 14 * day,
            },
            {
                "title": "建筑用钢材产品质量监督抽查",
                "lead_department": "market_regulation",
                "supporting_departments": ["housing_construction"],
                "due_on": as_of + 25 * day,
            },
        ],
        report_rounds=[
            {"title": "排查情况报送", "due_on": start + 16 * day},
            {"title": "专项行动总结报送", "due_on": as_of + 28 * day},
        ],
    )
    first = campaign.report_rounds.order_by("due_on").first()
    for name in ("wujin", "xinbei"):
        office = user(name)
        submission = first.submissions.get(division=office.division)
        services.report_submit(
            actor=office,
            submission=submission,
            figures={},
            text=f"{office.division.name}已完成全面排查，排查情况见报送数据。",
        )
    pledges = services.pledge_round_create(
        actor=city,
        division=city.division,
        title="严防“地条钢”死灰复燃承诺书",
        due_on=as_of - 10 * day,
        text="本单位承诺：辖区内不存在生产“地条钢”违法违规行为，发现一起、查处一起。",
        levels=["district", "township"],
    )
    wujin = user("wujin")
    services.pledge_sign(
        actor=wujin,
        round_=pledges,
        division=wujin.division,
        signer="武进区区长",
        signed_on=as_of - 12 * day,
        scan=SimpleUploadedFile("scan.pdf", SCAN),
    )
    evaluation = services.evaluation_run(
        actor=city, division=city.division, period_start=start, period_end=as_of
    )
    liyang = city.division.children.get(code="320481")
    services.summons_record(
        actor=city,
        division=liyang,
        reason="排查情况逾期未报送，举报核查滞后",
        held_on=as_of - 2 * day,
        place="市发改委3楼会议室",
        attendees="溧阳市分管副市长、市工信局局长",
        minutes="要求10日内补报排查情况，限期整改。",
    )
    services.rectification_issue(
        actor=city,
        division=liyang,
        reason="补报排查情况并完善中(工)频炉使用企业台账",
        owner="溧阳市工信局",
        due_on=as_of + 10 * day,
        issued_on=as_of - 2 * day,
    )
    ranked = sum(1 for r in evaluation.results if r["rank"])
    return (
        f"专项行动1项（3个阶段、2项任务、2轮报送），承诺书1轮，评估{ranked}个区县，"
        "约谈及限期整改各1项（溧阳市）"
    )
