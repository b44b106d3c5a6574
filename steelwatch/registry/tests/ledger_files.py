"""Real ledger workbooks for the tests, written with openpyxl in the same shape officials fill in."""

from openpyxl import Workbook

from steelwatch.registry.uscc import uscc_check_char

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "行政区划代码",
    "详细地址",
    "法定代表人",
    "行业",
    "经营状态",
    "经度",
    "纬度",
]
FURNACE_HEADERS = ["统一社会信用代码", "设备编号", "设备类型", "容量(吨)", "额定功率(kW)", "用途", "设备状态"]
TOWNSHIP = "320412001"  # 武进区南夏墅街道, in the owner's district


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def wrong_check(first17: str) -> str:
    right = uscc_check_char(first17)
    return first17 + ("0" if right != "0" else "1")


def enterprise_row(code: str, n: int, division: str = TOWNSHIP, status: str = "在营") -> list:
    return [
        code,
        f"武进精密铸造有限公司{n}",
        division,
        f"南夏墅工业园{n}号",
        f"法人{n}",
        "铸造",
        status,
        119.95,
        31.70,
    ]


def furnace_row(code: str, number: str = "ZP-1", status: str = "在用") -> list:
    return [code, number, "中频炉", 5, 3000, "铸件熔炼", status]


def write_ledger_file(
    path,
    enterprises: list[list],
    furnaces: list[list] = (),
    *,
    enterprise_headers=ENTERPRISE_HEADERS,
    furnace_headers=FURNACE_HEADERS,
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业"
    sheet.append(enterprise_headers)
    for row in enterprises:
        sheet.append(row)
    sheet = workbook.create_sheet("设备")
    sheet.append(furnace_headers)
    for row in furnaces:
        sheet.append(row)
    workbook.save(path)
    return path


LETTER_LED = [
    uscc("N2320412MA0000001"),
    uscc("Y1320412MA0000002"),
    uscc("A1320412MA0000003"),
    uscc("91320412MA0000004"),
]


def exported(client, division: str = ""):
    """Export the ledger as the client's user does in the browser (a background job, run at once here) and
    download the file: returns (job page response, download response)."""
    from django.test import TestCase
    from django.urls import reverse

    from steelwatch.core.models import Job

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(reverse("ledger_excel:export"), {"division": division} if division else {})
    if started.status_code != 302:
        return started, None
    job = Job.objects.filter(kind="ledger_export").latest("pk")
    page = client.get(started.url)
    return page, client.get(reverse("ledger_excel:export_download", args=[job.pk]))


def download_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
