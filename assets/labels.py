"""Asset labels: an A4 sheet of 3 x 8 labels of 70 x 37 mm (the common "24 per sheet" stock), each with a QR
code of the asset's page in Simpul, its name, agency, tag and serial number. The QR holds only the URL: the
page asks whoever scans it to log in, and shows the asset only to those who may see it."""

import io

import segno
from django.urls import reverse
from fpdf import FPDF

from assets.models import Asset

SHEET = {"columns": 3, "rows": 8, "width_mm": 70, "height_mm": 37, "top_mm": 3.5, "left_mm": 0}
_QR_MM = 29
_PAD_MM = 3


def asset_url(asset: Asset, base_url: str) -> str:
    """The absolute address of the asset's page; `base_url` is the site's own origin (http://host:port)."""
    return base_url.rstrip("/") + reverse("asset-page", args=[asset.pk])


def qr_png(url: str) -> bytes:
    """The URL as a QR code, error correction M (a label survives a scratch), black on white PNG."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def latin1(text) -> str:
    """The PDF core fonts speak Latin-1; anything else is replaced rather than breaking the sheet."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def labels_pdf(assets: list[Asset], base_url: str) -> bytes:
    """The sheets of labels for `assets`, in the order given, 24 to a page."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    per_page = SHEET["columns"] * SHEET["rows"]
    text_width = SHEET["width_mm"] - _QR_MM - 2 * _PAD_MM
    for index, asset in enumerate(assets):
        if index % per_page == 0:
            pdf.add_page()
        row, column = divmod(index % per_page, SHEET["columns"])
        x = SHEET["left_mm"] + column * SHEET["width_mm"]
        y = SHEET["top_mm"] + row * SHEET["height_mm"]
        pdf.image(io.BytesIO(qr_png(asset_url(asset, base_url))), x=x + _PAD_MM, y=y + 4, w=_QR_MM, h=_QR_MM)
        pdf.set_xy(x + _PAD_MM + _QR_MM + 1, y + 5)
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(text_width, 4, latin1(asset.name[:60]), align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 7)
        for line in (asset.agency.name, asset.tag or "", f"S/N {asset.serial_number}" if asset.serial_number else ""):
            if line:
                pdf.multi_cell(text_width, 3.5, latin1(line[:40]), align="L", new_x="LEFT", new_y="NEXT")
    if not assets:
        pdf.add_page()
    return bytes(pdf.output())
