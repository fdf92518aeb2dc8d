"""PDF reports typeset Urdu properly: letters joined, right to left."""

import subprocess

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.exports import as_pdf, render_pdf
from cfmp.reports.rollups import rebuild_rollups
from tests.cases.support import complaint
from tests.system import require_binary, require_pango

ZWNJ = "\u200c"  # stops letters joining: what an unshaped rendering would look like
STYLE = '<style>@page { size: A6; margin: 5mm } p { font: 28pt "Noto Naskh Arabic"; }</style>'


def _png(pdf: bytes, tmp_path, name: str) -> np.ndarray:
    pdftoppm = require_binary("pdftoppm")
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "72", "-png", "-singlefile", tmp_path / f"{name}.pdf", tmp_path / name],
        check=True,
    )
    return np.array(Image.open(tmp_path / f"{name}.png").convert("L")) < 128


def _paragraph(text: str) -> bytes:
    require_pango()
    return render_pdf(f'<html lang="ur" dir="rtl">{STYLE}<p>{text}</p></html>')


def test_urdu_is_joined_and_set_right_to_left(tmp_path):
    word = "رشوت لاہور"
    joined = _png(_paragraph(word), tmp_path, "joined")
    apart = _png(_paragraph(" ".join(ZWNJ.join(part) for part in word.split())), tmp_path, "apart")
    _, joined_pieces = ndimage.label(joined)
    _, apart_pieces = ndimage.label(apart)
    # Joined letters make fewer separate shapes, and a narrower word, than the same letters
    # forced apart.
    assert joined_pieces < apart_pieces
    width = lambda ink: np.ptp(np.where(ink.any(axis=0))[0])  # noqa: E731
    assert width(joined) < width(apart)
    # Right to left: the line hangs from the right margin.
    columns = np.where(joined.any(axis=0))[0]
    assert columns.max() > joined.shape[1] * 0.8 and columns.min() > joined.shape[1] * 0.2


@pytest.mark.django_db
def test_a_report_pdf_carries_its_urdu_title_and_names_in_reading_order(world, tmp_path):
    import pypdf

    require_pango()
    complaint("LHR-REV")
    rebuild_rollups()
    import datetime as dt

    from cfmp.reports.selectors import run_report

    report = CATALOGUE["complaints-by-district-range"]
    pdf = as_pdf(run_report(report, user=None, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)))
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = pypdf.PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    assert report.title in text
    assert report.title_ur in text  # extracted in logical (reading) order
    assert "لاہور" in text and "Lahore" in text
    page = _png(pdf, tmp_path, "report")
    assert page.any()


@pytest.mark.django_db
def test_without_pango_a_pdf_download_says_so_and_the_other_formats_work(
    client, world, monkeypatch
):
    from cfmp.accounts.models import Role
    from cfmp.reports import exports

    def no_pango(html: str) -> bytes:
        raise exports.PdfUnavailable("PDF export needs the Pango library")

    monkeypatch.setattr(exports, "render_pdf", no_pango)
    client.force_login(world.users[Role.SECRETARIAT])
    name = next(iter(CATALOGUE))
    pdf = client.get(f"/reports/{name}/export.pdf")
    assert pdf.status_code == 503
    assert "PDF files cannot be made on this server" in pdf.content.decode()
    for other in ("csv", "xlsx", "json"):
        assert client.get(f"/reports/{name}/export.{other}").status_code == 200, other
