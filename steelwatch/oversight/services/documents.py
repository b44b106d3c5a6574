"""Red-header documents (红头文件): rendered to PDF from a template and kept with their record."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.pdf import render_pdf
from steelwatch.geo.models import Division

from ..access import require_manage
from ..models import Document, LeadingGroup
from ._common import files_atomic, store_bytes, user_or_none

CN_DIGITS = "〇一二三四五六七八九"


def issuer_name(division: Division) -> str:
    """The issuing office's name for the red header: its leading group's office, or a default."""
    group = LeadingGroup.objects.filter(division=division).first()
    if group:
        return group.office_name
    return f"{division.full_name}严防“地条钢”工作领导小组办公室"


def date_cn(day: datetime.date) -> str:
    """2026-05-31 → 二〇二六年五月三十一日 (the form of a document's date)."""

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else CN_DIGITS[tens]) + "十" if tens else "") + (
            CN_DIGITS[ones] if ones else ""
        )

    return "".join(CN_DIGITS[int(c)] for c in str(day.year)) + f"年{small(day.month)}月{small(day.day)}日"


def document_pdf(document: Document, table: dict | None = None) -> bytes:
    return render_pdf(
        "oversight/pdf_document.html",
        {
            "document": document,
            "issuer": issuer_name(document.division),
            "paragraphs": [p for p in document.body.splitlines() if p.strip()],
            "issued_on_cn": date_cn(document.issued_on),
            "table": table,
        },
    )


def document_issue(
    *,
    actor,
    division: Division,
    kind: str,
    title: str,
    body: str,
    recipients: str = "",
    document_number: str = "",
    attachments: list[str] = (),
    target_division: Division | None = None,
    issued_on: datetime.date | None = None,
    table: dict | None = None,
) -> Document:
    """Render the document to PDF with the red header, store it and record it."""
    require_manage(actor, division.code)
    if not body.strip():
        raise ValidationError({"body": _("请填写正文")})
    document = Document(
        division=division,
        kind=kind,
        title=title,
        body=body,
        recipients=recipients,
        document_number=document_number,
        attachments=list(attachments),
        target_division=target_division,
        issued_on=issued_on or timezone.localdate(),
        created_by=user_or_none(actor),
    )
    document.full_clean(exclude=["pdf", "pdf_sha256"])
    with files_atomic() as written:
        document.pdf, document.pdf_sha256 = store_bytes(
            written, document_pdf(document, table), f"oversight/documents/{division.code}", "pdf"
        )
        document.save()
        audit_record(
            actor=actor,
            action="document_issue",
            target=document,
            after=snapshot(document),
            division_code=(target_division or division).code,
        )
    return document


def summary_pdf(campaign, rows: list[dict]) -> bytes:
    """附件1 of a campaign as a red-header PDF: a covering note and the table."""
    from ..summary import TITLE, summary_table

    document = Document(
        division=campaign.division,
        kind=Document.Kind.SUMMARY,
        document_number=campaign.document_number,
        title=f"{campaign.title}{TITLE}",
        recipients="",
        body=f"{campaign.title}（{campaign.starts_on:%Y年%m月%d日}至{campaign.ends_on:%Y年%m月%d日}）发现问题企业及整改情况汇总如下，共{len(rows)}项。",
        attachments=[f"附件1 {TITLE}"],
        issued_on=timezone.localdate(),
    )
    return document_pdf(document, summary_table(rows))
