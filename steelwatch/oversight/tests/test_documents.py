"""附件1 to Excel and to a red-header PDF that reads back as Chinese; a document issued with its PDF."""

import datetime
import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from steelwatch.cases.models import Case
from steelwatch.oversight import services
from steelwatch.oversight.models import Document
from steelwatch.oversight.services.documents import date_cn
from steelwatch.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (make pdf) is needed to read PDFs back"
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # lines wrap anywhere in Chinese text


def pdf_fonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def campaign():
    city = make_user("city_office", "320400", username="city-doc")
    today = datetime.date.today()
    campaign = services.campaign_create(
        actor=city,
        division=city.division,
        title="防范“地条钢”死灰复燃专项行动",
        document_number="常化解办〔2026〕5号",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
    )
    site = make_enterprise("320412001", name="常州市武进区鑫达特钢有限公司")
    Case.objects.create(
        title="夜间用电异常：疑似中频炉",
        source="power",
        division_id="320412001",
        enterprise=site,
        state="enforcing",
        verify_due=today,
    )
    Case.objects.create(title='=HYPERLINK("http://x")', source="tip", division_id="320411003")
    return city, campaign


def test_summary_exports_to_excel_and_red_header_pdf(campaign, tmp_path):
    _city, campaign = campaign
    xlsx, pdf = tmp_path / "附件1.xlsx", tmp_path / "附件1.pdf"
    call_command("export_summary", "--campaign", campaign.pk, str(xlsx))
    call_command("export_summary", "--campaign", campaign.pk, str(pdf))
    sheet = load_workbook(xlsx)["附件1"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "序号",
        "区县/单位",
        "企业名称",
        "统一社会信用代码",
        "发现问题",
        "整改措施",
        "整改时限",
        "整改情况",
        "责任人",
        "备注",
    ]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    by_name = {r[2]: r for r in rows}
    assert len(rows) == 2 and by_name["常州市武进区鑫达特钢有限公司"][7] == "查处中"
    assert [r[0] for r in rows] == [1, 2]
    text = pdf_text(pdf)
    # Long names and credit codes wrap inside their narrow cells and pdftotext interleaves the wrapped lines with
    # the next column's, so the row is found by the start of its name and of its credit code.
    uscc = by_name["常州市武进区鑫达特钢有限公司"][3]
    assert "发现问题企业及整改情况汇总表" in text and uscc[:14] in text and "常州市武进区鑫达特钢" in text
    assert "常化解办〔2026〕5号" in text and "严防“地条钢”工作领导小组办公室" in text
    fonts = pdf_fonts(pdf)
    assert "CJK" in fonts and " yes " in fonts  # the Chinese font is embedded


def test_document_issue_stores_the_pdf_with_the_record(campaign, settings):
    city, _campaign = campaign
    district = city.division.children.get(code="320481")
    document = services.document_issue(
        actor=city,
        division=city.division,
        kind=Document.Kind.NOTICE,
        title="关于2026年第三季度评估情况的通报",
        body="各辖市、区：\n现将评估情况通报如下。",
        recipients="各辖市、区人民政府",
        document_number="常化解办〔2026〕9号",
        target_division=district,
        attachments=["评估结果表"],
    )
    from steelwatch.core.files import absolute

    path = absolute(document.pdf)
    assert path.read_bytes().startswith(b"%PDF-") and len(document.pdf_sha256) == 64
    text = pdf_text(path)
    assert (
        "关于2026年第三季度评估情况的通报" in text and "各辖市、区人民政府" in text and "评估结果表" in text
    )
    assert date_cn(document.issued_on)[:4] in text.replace(" ", "")


def test_chinese_date_of_a_document():
    assert date_cn(datetime.date(2026, 5, 31)) == "二〇二六年五月三十一日"
    assert date_cn(datetime.date(2018, 2, 8)) == "二〇一八年二月八日"
    assert date_cn(datetime.date(2026, 12, 10)) == "二〇二六年十二月十日"
    assert date_cn(datetime.date(2026, 10, 20)) == "二〇二六年十月二十日"


def test_summary_exports_from_the_campaign_page_as_a_job_for_its_starter_only(campaign, tmp_path):
    """#11 item 5: the page starts a background job; its page shows the progress and the download, served
    under the Chinese file name to the starter only; a district office cannot start it for the city's campaign."""
    import io
    from urllib.parse import quote

    from django.urls import reverse

    from steelwatch.core.models import Job
    from steelwatch.testing import client_for, exported_file, file_bytes

    city, campaign = campaign
    office = client_for(city)
    detail = office.get(reverse("oversight:campaign", args=[campaign.pk])).content.decode()
    assert 'id="summary-exports"' in detail and 'method="post"' in detail
    page, download = exported_file(office, reverse("oversight:summary", args=[campaign.pk, "xlsx"]))
    job = page.context["job"]
    assert (job.kind, job.status, job.progress) == ("campaign_summary_export", "done", 100)
    assert "导出完成：汇总表" in page.content.decode() and 'id="job-download"' in page.content.decode()
    name = f"附件1_发现问题企业及整改情况汇总表_{campaign.pk}.xlsx"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    sites = [
        row[2] for row in load_workbook(io.BytesIO(file_bytes(download)))["附件1"].iter_rows(values_only=True)
    ]
    assert "常州市武进区鑫达特钢有限公司" in sites
    other = client_for(make_user("city_office", "320400", username="city-doc-2"))
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404  # not its starter
    district = client_for(make_user("district_office", "320412", username="wj-doc"))
    started = district.post(reverse("oversight:summary", args=[campaign.pk, "xlsx"]))
    assert started.status_code == 404 and Job.objects.filter(kind="campaign_summary_export").count() == 1
    assert office.get(reverse("oversight:summary", args=[campaign.pk, "xlsx"])).status_code == 405
