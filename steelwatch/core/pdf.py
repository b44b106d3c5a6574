"""PDF documents from HTML templates (WeasyPrint, with Debian's Pango and the Noto CJK fonts).

    data = render_pdf("oversight/pdf/notice.html", {"document": doc})

The templates extend `pdf/base.html`, which sets the page (A4, GB/T 9704 margins) and the Chinese fonts that
are embedded in the PDF. Nothing is fetched from the network: the URL fetcher refuses every external URL."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class PdfUnavailable(RuntimeError):
    pass


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(_("PDF 渲染不读取外部资源"))


def render_pdf(template_name: str, context: dict) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango or its fonts missing on the machine
        raise PdfUnavailable(_("本机缺少 PDF 渲染所需的 Pango 库（见 README 的系统依赖）")) from exc
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_no_fetch, base_url=".").write_pdf()
