"""The web app in a real browser (Playwright driving Debian's chromium) against
`docgen serve`'s WSGI server (waitress) on a free port: one test per page, and the
whole flow. Every page is screenshotted (into $DOCGEN_SCREENSHOTS when set)."""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from web_support import PASSWORDS, web_env  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow

# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are
# ordinary synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--lang=id-ID"]  # as on the clerks' PCs: dates in the browser's own widgets too
# words that would mean English leaked into the UI
ENGLISH = re.compile(r"\b(the|and|Submit|Search|Login|Log in|Logout|Password|Username|Save|Delete|"
                     r"Upload|Download|Error|required|field|Next|Previous|Page|Home|Sign|Signature|"
                     r"Settings|Cancel|None|True|False)\b")


@pytest.fixture(scope="module")
def server(web_env):  # noqa: F811
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    srv = create_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=4)
    url = f"http://127.0.0.1:{srv.effective_port}"
    old = settings.DOCGEN_PUBLIC_URL
    settings.DOCGEN_PUBLIC_URL = url  # what `docgen serve --port N` sets
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    yield url
    settings.DOCGEN_PUBLIC_URL = old
    srv.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium")
    assert exe, "chromium not found: run scripts/bootstrap.sh"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS,
                              env={**os.environ, "LANG": "id_ID.UTF-8", "LANGUAGE": "id"})
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    d = Path(os.environ.get("DOCGEN_SCREENSHOTS") or tmp_path_factory.mktemp("layar"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def new_page(browser, server, user: str | None = None):
    ctx = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = ctx.new_page()
    if user:
        page.goto("/masuk/")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORDS[user])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/$"))
    return page


def look(page, shots: Path, name: str) -> str:
    """Screenshot the page and return its text, checked for English words."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    text = page.inner_text("body")
    # the library's messages (beside a field, a karantina reason) are the CLI's own words
    own = page.evaluate("""() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('.galat-isian, .pustaka, code').forEach(e => e.remove()); return b.innerText; }""")
    leak = ENGLISH.findall(own)
    assert not leak, f"{name}: English in the UI: {leak}"
    return text


def test_login_page(browser, server, shots):
    page = new_page(browser, server)
    page.goto("/agenda/")
    assert "/masuk/" in page.url  # anonymous: sent to the login page
    text = look(page, shots, "01-masuk")
    assert "Nama pengguna" in text and "Kata sandi" in text
    page.fill("input[name=username]", "staf")
    page.fill("input[name=password]", "salah-sekali")
    page.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah." in page.inner_text("body")
    page.context.close()


def test_beranda(browser, server, shots):
    page = new_page(browser, server, "staf")
    text = look(page, shots, "02-beranda")
    for h in ("Nomor terakhir", "Konsep saya", "Karantina"):
        assert h in text
    assert "Tanda tangan" not in page.inner_text("header nav")  # a staf's menu has no signing
    page.context.close()


def test_buat_naskah_form_with_code_search(browser, server, shots):
    page = new_page(browser, server, "staf")
    page.goto("/naskah/")
    text = look(page, shots, "03-naskah-pilih")
    for title in ("Surat Pengantar", "Lembar Disposisi", "Surat Dinas", "Nota Dinas"):  # data-only kinds too
        assert title in text
    page.click("text=Lembar Disposisi")
    page.wait_for_selector("form.naskah")
    look(page, shots, "04-naskah-disposisi")
    assert page.locator("input[name=diteruskan_kepada][type=checkbox]").count() >= 3  # pejabat to choose
    page.goto("/naskah/baru/surat-pengantar/")
    page.fill("#f-klasifikasi", "pelaporan")
    page.wait_for_selector(".kode-hasil li button")
    look(page, shots, "05-naskah-kode")
    page.locator(".kode-hasil li button").first.click()
    assert re.fullmatch(r"\d+(\.\d+)+", page.input_value("#f-klasifikasi"))
    page.click("button[value=simpan]")
    page.wait_for_selector(".galat-isian")
    text = look(page, shots, "06-naskah-galat")
    # the CLI's words, beside the field
    assert "String should have at least 1 character" in page.inner_text("#isian-perihal .galat-isian")
    assert "List should have at least 1 item" in page.inner_text("[id='isian-naskah'] > .galat-isian")
    assert "Ada isian yang perlu diperbaiki" in text
    page.context.close()


def _tampered(data: bytes) -> bytes:
    at = data.index(b"stream", 1000) + 40
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _link_uri(pdf: Path) -> str:
    from pypdf import PdfReader

    for page in PdfReader(str(pdf)).pages:
        for a in page.get("/Annots") or []:
            a = a.get_object()
            uri = (a.get("/A") or {}).get("/URI")
            if uri:
                return str(uri)
    return ""


def test_whole_flow(browser, server, shots, web_env, soffice):  # noqa: F811
    # 1-2. staf makes a surat pengantar from the form; Terbitkan numbers it
    page = new_page(browser, server, "staf")
    page.goto("/naskah/baru/surat-pengantar/")
    page.fill("#f-klasifikasi", "000.7.5")
    page.fill("#f-perihal", "Penyampaian Laporan Kinerja Triwulan III")
    page.fill("#f-kepada", "Inspektur Kota Kediri")
    page.fill("#f-di", "Kediri")
    page.fill("#f-tanggal", "2026-11-23")
    page.fill("[id='f-naskah.0.uraian']", "Laporan Hasil Pengumpulan Data Kinerja Triwulan III")
    page.fill("[id='f-naskah.0.banyaknya']", "1 (satu) eksemplar")
    page.select_option("#f-penandatangan", "kepala")
    look(page, shots, "07-naskah-isi")
    page.click("button[value=terbitkan]")
    page.wait_for_selector("dd.nomor", timeout=60_000)
    text = look(page, shots, "08-naskah-terbit")
    nomor = page.inner_text("dd.nomor").strip()
    assert re.search(r"/\d+/", nomor) and f"Diterbitkan dengan nomor {nomor}" in text
    with page.expect_download() as dl:
        page.click("text=Unduh PDF")
    assert dl.value.suggested_filename.endswith(".pdf")
    page.goto("/agenda/")
    text = look(page, shots, "09-agenda")
    assert nomor in text and "Batalkan" not in text  # a staf cannot void
    page.context.close()

    # 3-4. the pejabat signs it with the passphrase; it is filed
    page = new_page(browser, server, "kepala")
    page.goto("/ttd/")
    look(page, shots, "10-ttd")
    option = page.locator("select[name=konsep] option", has_text=nomor)
    assert "(untuk Anda)" in option.inner_text()  # the letter names this pejabat as its signer
    page.select_option("select[name=konsep]", option.get_attribute("value"))
    page.fill("input[name=passphrase]", web_env.passphrase)
    page.click("main form button[type=submit]")
    page.wait_for_selector("p[role=status]", timeout=60_000)
    text = look(page, shots, "11-ttd-hasil")
    assert "Tanda tangan elektronik sah dan dokumen tidak berubah." in text
    assert "Diarsipkan sebagai" in text
    assert web_env.passphrase not in page.content()
    qr_url = page.inner_text(".qr-url").strip()
    from docgen.web.models import Konsep

    k = Konsep.objects.get(nomor=nomor)
    signed = web_env.root / k.pdf_ttd
    assert _link_uri(signed) == qr_url  # the link over the QR stamp carries the same URL
    assert qr_url == f"{server}/v/{k.doc_id}"
    page.goto("/agenda/")
    assert page.locator("form.batal-form").count() >= 1  # the pejabat may void
    page.context.close()

    # 5. search finds it by its nomor
    page = new_page(browser, server, "staf")
    page.goto("/arsip/")
    page.fill("input[name=q]", nomor)
    page.click("form.saring button[type=submit]")
    page.wait_for_selector("ol.hasil")
    text = look(page, shots, "12-arsip-cari")
    assert "nomor tepat" in text and "TTE sah" in text and nomor in text
    page.click("ol.hasil li a")
    page.wait_for_selector("dl.data")
    text = look(page, shots, "13-arsip-dokumen")
    assert k.doc_id in text and "Sah" in text and re.search(r"[0-9a-f]{64}", text)
    src = page.get_attribute("object.pdf", "data")  # the inline preview
    preview = page.request.get(src)
    assert preview.headers["content-type"] == "application/pdf" and preview.body()[:5] == b"%PDF-"
    assert preview.headers["content-disposition"].startswith("inline")
    page.goto("/arsip/unggah/")
    look(page, shots, "14-arsip-unggah")
    page.context.close()

    # 6-7. the QR's URL, anonymous: valid; a tampered copy is reported as changed
    page = new_page(browser, server)
    page.goto(qr_url)
    text = look(page, shots, "15-verifikasi")
    assert "terdaftar di arsip" in text and nomor in text and "Sah" in text
    page.set_input_files("input[name=berkas]", files=[{"name": "surat.pdf", "mimeType": "application/pdf",
                                                         "buffer": signed.read_bytes()}])
    page.click("main form button[type=submit]")
    page.wait_for_selector("#hasil-cek")
    assert "Berkas identik dengan dokumen di arsip" in page.inner_text("#hasil-cek")
    page.set_input_files("input[name=berkas]", files=[{"name": "surat.pdf", "mimeType": "application/pdf",
                                                         "buffer": _tampered(signed.read_bytes())}])
    page.click("main form button[type=submit]")
    page.wait_for_selector("#hasil-cek")
    text = look(page, shots, "16-verifikasi-diubah")
    assert "Berkas BERBEDA dari dokumen di arsip" in text
    assert "tidak sah atau dokumen telah diubah" in text
    page.goto("/v/tidak-ada-sama-sekali")
    text = look(page, shots, "17-verifikasi-tidak-dikenal")
    assert "tidak dikenal" in text
    page.context.close()


def test_karantina_page(browser, server, shots):
    page = new_page(browser, server, "arsiparis")
    page.goto("/arsip/unggah/")
    page.set_input_files("input[name=berkas]", files=[{"name": "pindaian-rusak.pdf", "mimeType": "application/pdf",
                                                         "buffer": b"%PDF-1.4\nbukan pdf utuh"}])
    page.click("main form button[type=submit]")
    page.wait_for_selector("ul.pesan")
    assert "masuk karantina" in page.inner_text("ul.pesan")
    page.goto("/arsip/karantina/")
    text = look(page, shots, "18-karantina")
    assert "pindaian-rusak.pdf" in text
    page.locator("tr", has_text="pindaian-rusak.pdf").locator("button").click()
    page.wait_for_selector("ul.pesan")
    page.context.close()


def test_admin_pages(browser, server, shots):
    page = new_page(browser, server, "admin")
    page.goto("/jejak/")
    text = look(page, shots, "19-jejak")
    assert "Masuk" in text and "admin" in text
    with page.expect_download() as dl:
        page.click("text=Ekspor CSV")
    assert dl.value.suggested_filename == "jejak-audit.csv"
    page.goto("/pengguna/")
    text = look(page, shots, "20-pengguna")
    assert "kepala" in text and "Pejabat" in text
    page.goto("/agenda/")
    with page.expect_download() as dl:
        page.click("text=Ekspor XLSX")
    assert dl.value.suggested_filename.endswith(".xlsx")
    data = io.BytesIO(Path(dl.value.path()).read_bytes())
    from openpyxl import load_workbook

    assert "BUKU AGENDA" in str(load_workbook(data).active["A1"].value)
    page.context.close()
