"""The web app through Django's test client: roles, CSRF, uploads, escaping, throttling,
cookies, and the whole flow (form -> nomor -> signature -> archive -> /v/<id>)."""

from __future__ import annotations

import io
import os
import re

import pytest
from web_support import PASSWORDS, login, web_env  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


@pytest.fixture
def client(web_env):  # noqa: F811
    from django.test import Client

    return Client()


def as_user(name: str):
    from django.test import Client

    c = Client()
    login(c, name)
    return c


PROTECTED = ["/", "/naskah/", "/naskah/baru/surat-pengantar/", "/agenda/", "/agenda/ekspor/xlsx/",
             "/arsip/", "/arsip/1/", "/arsip/unggah/", "/arsip/karantina/", "/ttd/", "/jejak/",
             "/jejak/ekspor/", "/pengguna/", "/naskah/kode/?q=lapor"]


def test_anonymous_reaches_only_login_and_verification(client):
    for url in PROTECTED:
        r = client.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/masuk/"), url
    for url in ["/agenda/batal/", "/ttd/", "/arsip/unggah/", "/pengguna/"]:
        r = client.post(url, {})
        assert r.status_code == 302 and r.headers["Location"].startswith("/masuk/"), url
    assert client.get("/masuk/").status_code == 200
    r = client.get("/v/tidakada123")
    assert r.status_code == 404
    assert "tidak dikenal" in r.content.decode()


def test_staf_cannot_sign_void_or_read_the_audit_log(web_env):  # noqa: F811
    c = as_user("staf")
    assert c.get("/ttd/").status_code == 403
    assert c.post("/ttd/", {"penandatangan": "kepala", "passphrase": "x"}).status_code == 403
    assert c.post("/agenda/batal/", {"nomor": "x", "alasan": "y"}).status_code == 403
    assert c.get("/jejak/").status_code == 403
    assert c.get("/jejak/ekspor/").status_code == 403
    assert c.get("/pengguna/").status_code == 403
    assert c.get("/arsip/karantina/").status_code == 403
    # and the pages they may use
    for url in ["/", "/naskah/", "/agenda/", "/arsip/", "/arsip/unggah/"]:
        assert c.get(url).status_code == 200, url


def test_pejabat_and_arsiparis_limits(web_env):  # noqa: F811
    p = as_user("kepala")
    assert p.get("/ttd/").status_code == 200
    assert p.get("/naskah/baru/surat-pengantar/").status_code == 403  # drafts are the staf's
    assert p.get("/jejak/").status_code == 403
    a = as_user("arsiparis")
    assert a.get("/arsip/karantina/").status_code == 200
    assert a.get("/ttd/").status_code == 403
    assert a.post("/agenda/batal/", {"nomor": "x", "alasan": "y"}).status_code == 403
    adm = as_user("admin")
    assert adm.get("/jejak/").status_code == 200
    assert adm.get("/ttd/").status_code == 403


def test_csrf_is_enforced_on_every_form(web_env):  # noqa: F811
    from django.test import Client

    anon = Client(enforce_csrf_checks=True)
    assert anon.post("/masuk/", {"username": "staf", "password": PASSWORDS["staf"]}).status_code == 403
    forms = {"staf": ["/naskah/baru/surat-pengantar/", "/arsip/unggah/", "/keluar/"],
             "kepala": ["/ttd/", "/agenda/batal/"], "arsiparis": ["/arsip/karantina/coba/"],
             "admin": ["/pengguna/"]}
    for name, urls in forms.items():
        c = Client(enforce_csrf_checks=True)
        c.force_login(__import__("django.contrib.auth.models", fromlist=["User"]).User.objects.get(username=name))
        for url in urls:
            r = c.post(url, {"aksi": "simpan", "nomor": "1", "alasan": "x", "nama": "x"})
            assert r.status_code == 403, url
            assert "token keamanan" in r.content.decode()
    r = anon.post("/v/abc", {})
    assert r.status_code == 403


def _pdf_bytes(text: str = "Surat") -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_metadata({"/Title": text})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _upload(name: str, data: bytes, ctype: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=ctype)


def test_uploads_are_limited_in_size_and_type(web_env):  # noqa: F811
    c = as_user("staf")
    inbox = web_env.ws.inbox_dir
    before = set(inbox.iterdir())
    r = c.post("/arsip/unggah/", {"berkas": _upload("catatan.txt", b"halo", "text/plain")})
    assert r.status_code == 400 and "Hanya berkas PDF" in r.content.decode()
    r = c.post("/arsip/unggah/", {"berkas": _upload("palsu.pdf", b"MZ\x90\x00 not a pdf")})
    assert r.status_code == 400 and "bukan PDF" in r.content.decode()
    big = b"%PDF-1.4\n" + b"0" * int(web_env.ws.config.web.unggah_maks_mb * 1024 * 1024 + 10)
    r = c.post("/arsip/unggah/", {"berkas": _upload("besar.pdf", big)})
    assert r.status_code == 400 and "terlalu besar" in r.content.decode()
    assert set(inbox.iterdir()) == before  # nothing refused reached the inbox


def test_a_broken_pdf_goes_to_karantina_and_can_be_retried(web_env):  # noqa: F811
    c = as_user("staf")
    r = c.post("/arsip/unggah/", {"berkas": _upload("rusak.pdf", b"%PDF-1.4\nrusak sekali")}, follow=True)
    assert "masuk karantina" in r.content.decode()
    a = as_user("arsiparis")
    page = a.get("/arsip/karantina/").content.decode()
    assert "rusak.pdf" in page and "Coba lagi" in page
    r = a.post("/arsip/karantina/coba/", {"nama": "rusak.pdf"}, follow=True)
    assert "masuk karantina" in r.content.decode()  # still broken: back in quarantine, with a reason
    assert a.post("/arsip/karantina/coba/", {"nama": "../docgen.toml"}, follow=True).status_code == 200
    assert (web_env.root / "docgen.toml").is_file()


def test_failed_logins_are_throttled(web_env):  # noqa: F811
    from django.test import Client

    c = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(web_env.ws.config.web.login_gagal_maks):
        r = c.post("/masuk/", {"username": "staf3", "password": "salah-salah"})
        assert r.status_code == 200 and "salah" in r.content.decode()
    r = c.post("/masuk/", {"username": "staf3", "password": PASSWORDS["staf3"]})
    assert r.status_code == 429  # even the right password waits
    assert "Terlalu banyak percobaan" in r.content.decode()


def test_session_cookies_httponly_samesite_and_secure_over_https(web_env):  # noqa: F811
    from django.test import Client

    c = Client()
    r = c.post("/masuk/", {"username": "arsiparis", "password": PASSWORDS["arsiparis"]})
    cookie = r.cookies["docgen_sesi"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    c = Client()
    r = c.post("/masuk/", {"username": "arsiparis", "password": PASSWORDS["arsiparis"]}, secure=True)
    assert r.cookies["docgen_sesi"]["secure"]
    r = c.get("/masuk/", secure=True)
    assert r.cookies["docgen_csrf"]["secure"] and r.cookies["docgen_csrf"]["httponly"]


def test_audit_log_is_append_only(web_env):  # noqa: F811
    from django.db import DatabaseError, connection, transaction

    from docgen.web.models import Jejak, JejakError

    j = Jejak.objects.create(pengguna="uji", aksi="masuk")
    j.keterangan = "diubah"
    with pytest.raises(JejakError):
        j.save()
    with pytest.raises(JejakError):
        j.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE docgen_web_jejak SET keterangan = 'x' WHERE id = %s", [j.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM docgen_web_jejak")


def _surat_form(perihal: str, klasifikasi: str = "000.7.5") -> dict:
    return {
        "klasifikasi": klasifikasi, "perihal": perihal, "kepada": "Inspektur Kota Kediri", "di": "Kediri",
        "tanggal": "2026-11-22", "naskah.0.uraian": "Laporan Kinerja Triwulan III",
        "naskah.0.banyaknya": "1 (satu) eksemplar", "naskah.0.keterangan": "Untuk diketahui",
        "penandatangan": "kepala", "penerima.jabatan": "Sekretaris Inspektorat",
    }


def _box(r, path: str) -> str:
    """The HTML of one field of the form, up to the next field."""
    html = r.content.decode()
    start = html.index(f'id="isian-{path}"')
    nxt = html.find('<div class="isian', start + 10)
    return html[start: nxt if nxt > 0 else None]


def test_field_errors_show_beside_the_field_in_the_clis_words(web_env):  # noqa: F811
    c = as_user("staf")
    data = _surat_form("Uji galat", klasifikasi="999.99")
    data["naskah.0.uraian"] = ""
    data["aksi"] = "terbitkan"
    r = c.post("/naskah/baru/surat-pengantar/", data)
    assert r.status_code == 422
    assert 'id="isian-naskah.0.uraian"' in _box(r, "naskah.0.uraian")
    assert "String should have at least 1 character" in _box(r, "naskah.0.uraian")
    data["naskah.0.uraian"] = "Laporan"  # the schema is met: now the kind's own check speaks
    r = c.post("/naskah/baru/surat-pengantar/", data)
    assert r.status_code == 422
    assert "unknown kode klasifikasi &#x27;999.99&#x27;" in _box(r, "klasifikasi")
    assert "docgen codes search" in _box(r, "klasifikasi")
    from docgen.register import Register

    with Register.for_workspace(web_env.ws) as reg:
        assert not [e for e in reg.list() if e.perihal == "Uji galat"]  # no number taken


def test_the_draft_is_the_yaml_file_the_cli_reads(web_env):  # noqa: F811
    from docgen import make
    from docgen.web.models import Konsep

    c = as_user("staf")
    r = c.post("/naskah/baru/surat-pengantar/", {**_surat_form("Konsep untuk CLI"), "aksi": "simpan"})
    assert r.status_code == 200 and "Konsep disimpan" in r.content.decode()
    k = Konsep.objects.filter(judul="Konsep untuk CLI").get()
    path = web_env.root / k.berkas
    assert make.check(web_env.ws, "surat-pengantar", path) == []
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["naskah"] == [{"uraian": "Laporan Kinerja Triwulan III", "banyaknya": "1 (satu) eksemplar",
                               "keterangan": "Untuk diketahui"}]
    # and the form reads the file back: edited by hand, shown in the browser
    path.write_text(path.read_text(encoding="utf-8").replace("Konsep untuk CLI", "Diubah di editor"),
                    encoding="utf-8")
    assert 'value="Diubah di editor"' in c.get(f"/naskah/{k.pk}/").content.decode()
    # another staf does not see it
    assert as_user("staf2").get(f"/naskah/{k.pk}/").status_code == 404


def test_whole_flow_with_escaping(web_env, soffice):  # noqa: F811
    """staf makes a surat pengantar from the form, it is numbered; the pejabat signs it;
    it is filed; search finds it by its nomor; /v/<id> says valid; a tampered copy is
    reported changed. Its perihal is markup, shown as text on every page."""
    from docgen.web.models import Jejak, Konsep

    xss = "<script>alert(1)</script>"
    c = as_user("staf")
    r = c.post("/naskah/baru/surat-pengantar/", {**_surat_form(xss), "aksi": "terbitkan"})
    assert r.status_code == 302, r.content.decode()[:3000]
    k = Konsep.objects.get(pk=int(r.headers["Location"].strip("/").split("/")[-1]))
    assert k.nomor and k.pdf and k.docx and k.doc_id
    page = c.get(f"/naskah/{k.pk}/").content.decode()
    assert k.nomor in page and "Unduh PDF" in page
    for url in ["/", "/naskah/", "/agenda/", f"/naskah/{k.pk}/"]:
        html = c.get(url).content.decode()
        assert xss not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    assert c.get(f"/naskah/{k.pk}/unduh/pdf/").getvalue()[:5] == b"%PDF-"

    # the pejabat signs it; a wrong passphrase signs nothing
    p = as_user("kepala")
    r = p.post("/ttd/", {"penandatangan": "kepala", "konsep": str(k.pk), "passphrase": "salah"})
    assert r.status_code == 400 and "Kata sandi kunci salah" in r.content.decode()
    r = p.post("/ttd/", {"penandatangan": "kepala", "konsep": str(k.pk), "passphrase": web_env.passphrase,
                         "arsipkan": "on"})
    html = r.content.decode()
    assert r.status_code == 200, html[:2000]
    assert "Tanda tangan elektronik sah dan dokumen tidak berubah." in html
    assert "Diarsipkan sebagai" in html
    url = re.search(r'class="qr-url">([^<]+)<', html).group(1)
    assert url.endswith(f"/v/{k.doc_id}")
    for j in Jejak.objects.all():  # the passphrase is in no log entry
        assert web_env.passphrase not in j.keterangan and j.keterangan != "salah"

    # search finds it by its nomor; its page shows the signature and the hash
    html = c.get("/arsip/", {"q": k.nomor}).content.decode()
    assert "nomor tepat" in html and "TTE sah" in html
    entry_id = int(re.search(r'href="/arsip/(\d+)/"', html).group(1))
    doc = c.get(f"/arsip/{entry_id}/").content.decode()
    assert k.doc_id in doc and "Sah" in doc and xss not in doc

    # the QR's page, anonymous
    from django.test import Client

    anon = Client()
    path = "/" + url.split("/", 3)[3]
    html = anon.get(path).content.decode()
    assert "terdaftar di arsip" in html and k.nomor in html and "Sah" in html
    assert "alert(1)" not in html  # perihal not shown: [web] verifikasi_perihal = false
    k.refresh_from_db()
    signed = (web_env.root / k.pdf_ttd).read_bytes()
    html = anon.post(path, {"berkas": _upload("surat.pdf", signed)}).content.decode()
    assert "Berkas identik dengan dokumen di arsip" in html
    assert "Tanda tangan elektronik sah dan dokumen tidak berubah." in html
    at = signed.index(b"stream", 1000) + 40  # one byte inside a signed content stream
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]
    html = anon.post(path, {"berkas": _upload("surat.pdf", tampered)}).content.decode()
    assert "Berkas BERBEDA dari dokumen di arsip" in html
    assert "tidak sah atau dokumen telah diubah" in html

    # the perihal only when docgen.toml allows it (and then as text)
    toml = web_env.ws.config_file
    before = toml.read_text(encoding="utf-8")
    toml.write_text(before.replace("verifikasi_perihal = false", "verifikasi_perihal = true"), encoding="utf-8")
    try:
        html = anon.get(path).content.decode()
        assert "Perihal" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and xss not in html
    finally:
        toml.write_text(before, encoding="utf-8")
    assert "Perihal" not in anon.get(path).content.decode()

    # the buku agenda as Word
    r = c.get("/agenda/ekspor/docx/?tahun=2026")
    import docx

    d = docx.Document(io.BytesIO(r.content))
    assert k.nomor in [cell.text for row in d.tables[0].rows for cell in row.cells]

    # voided by the pejabat, with a reason; the register says so
    r = p.post("/agenda/batal/", {"nomor": k.nomor, "tahun": "2026", "alasan": "salah tujuan"}, follow=True)
    assert f"Nomor {k.nomor} dibatalkan" in r.content.decode()
    assert "Dibatalkan" in anon.get(path).content.decode()

    # the audit log has every step, and the admin can export it
    aksi = set(Jejak.objects.filter(doc_id=k.doc_id).values_list("aksi", flat=True))
    assert {"terbit", "ttd", "arsip", "batal"} <= aksi
    csv = as_user("admin").get("/jejak/ekspor/").content.decode("utf-8-sig")
    assert k.nomor in csv and "Ditandatangani" in csv


def test_verification_page_is_rate_limited(web_env):  # noqa: F811
    from django.test import Client

    c = Client(REMOTE_ADDR="10.7.7.7")
    codes = [c.get("/v/tidakada").status_code for _ in range(web_env.ws.config.web.verifikasi_per_menit + 1)]
    assert codes[-1] == 429 and set(codes[:-1]) == {404}


def test_disposisi_from_the_form_with_choices_and_a_preview(web_env, soffice):  # noqa: F811
    """The head's disposisi, made from the form: pejabat and harap as check boxes (the
    options are the kind's own), sifat as a choice; preview, then Terbitkan (no nomor)."""
    from docgen.web.models import Konsep

    c = as_user("staf")
    html = c.get("/naskah/baru/disposisi/").content.decode()
    assert 'name="diteruskan_kepada" value="sekretaris"' in html
    assert 'value="Untuk Diketahui"' in html and '<option value="Sangat Segera"' in html
    form = {"surat_dari": "Inspektorat Kota Kediri", "nomor_surat": "700/123/419.50/2026",
            "tanggal_surat": "2026-11-02", "diterima_tanggal": "2026-11-03", "sifat": "Segera",
            "hal": "Permintaan Data Kinerja Triwulan III", "diteruskan_kepada.__multi": "1",
            "diteruskan_kepada": ["sekretaris", "kasubbag_program"], "harap.__multi": "1",
            "harap": ["Untuk Dilaksanakan"], "catatan": "Segera kumpulkan data dari setiap Bidang.",
            "pendisposisi": "kepala", "tanggal": "2026-11-03", "aksi": "pratinjau"}
    r = c.post("/naskah/baru/disposisi/", form)
    assert r.status_code == 200, r.content.decode()[:3000]
    assert "Pratinjau PDF dibuat" in r.content.decode()
    k = Konsep.objects.filter(jenis="disposisi").latest("id")
    pv = c.get(f"/naskah/{k.pk}/unduh/pratinjau/?lihat=1")
    assert pv["Content-Type"] == "application/pdf" and pv["Content-Disposition"].startswith("inline")
    assert b"".join(pv.streaming_content)[:5] == b"%PDF-"
    assert as_user("staf2").get(f"/naskah/{k.pk}/unduh/pratinjau/").status_code == 404
    r = c.post(f"/naskah/{k.pk}/", {**form, "aksi": "terbitkan"})
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.status == "terbit" and not k.nomor and k.pdf.endswith(".pdf")
    from pypdf import PdfReader

    text = PdfReader(str(web_env.root / k.pdf)).pages[0].extract_text()
    assert "Permintaan Data Kinerja Triwulan III" in text and "Segera kumpulkan data" in text


def test_table_rows_grow_and_empty_rows_go(web_env):  # noqa: F811
    c = as_user("staf")
    form = {**_surat_form("Dua baris"), "naskah.1.uraian": "Rekapitulasi", "naskah.1.banyaknya": "1 berkas",
            "naskah.2.uraian": "", "naskah.2.banyaknya": "", "aksi": "baris"}
    html = c.post("/naskah/baru/surat-pengantar/", form).content.decode()
    assert 'name="naskah.1.uraian" value="Rekapitulasi"' in html
    assert 'name="naskah.3.uraian"' in html  # two blank rows after the two filled
    import yaml

    from docgen.web.models import Konsep

    k = Konsep.objects.filter(judul="Dua baris").get()
    data = yaml.safe_load((web_env.root / k.berkas).read_text(encoding="utf-8"))
    assert [n["uraian"] for n in data["naskah"]] == ["Laporan Kinerja Triwulan III", "Rekapitulasi"]


def test_cli_signing_while_served_points_the_qr_to_the_server(web_env, tmp_path):  # noqa: F811
    """With `docgen serve` running (its marker file) and [tte] verifikasi_url empty, a PDF
    signed with `docgen sign` gets a QR (and link) to the server's /v/<id> page."""
    import matplotlib
    from test_web_browser import _link_uri

    from docgen.sign import cli_support

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.1, 0.9, "Surat uji")
    pdf = tmp_path / "surat.pdf"
    fig.savefig(pdf)
    plt.close(fig)
    marker = web_env.root / cli_support.SERVED_FILE
    marker.write_text("http://surat.dinas.test:8000\n", encoding="utf-8")
    try:
        key = cli_support.signer_for_workspace(web_env.ws, "kepala", passphrase=web_env.passphrase)
        out = cli_support.sign_for_workspace(web_env.ws, pdf, "kepala", signer=key)
    finally:
        marker.unlink()
    assert re.fullmatch(r"http://surat\.dinas\.test:8000/v/\S+", _link_uri(out))


def test_docgen_serve_and_docgen_user(tmp_path):
    """The commands themselves, in their own processes: user add (password from stdin),
    user list, serve on a port; stopping it removes its marker."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from docgen import workspace

    root = tmp_path / "kantor"
    workspace.init(root)
    exe = [sys.executable, "-m", "docgen", "-W", str(root)]
    r = subprocess.run([*exe, "user", "add", "siti", "--peran", "staf"], input="kata-sandi-siti\n",
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*exe, "user", "add", "budi", "--peran", "pejabat"], input="kata-sandi-budi\n",
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "--pejabat" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([*exe, "user", "list"], capture_output=True, text=True, timeout=120)
    assert re.search(r"^siti\s+staf", r.stdout, re.M)
    secret = root / ".docgen-web-rahasia"
    if os.name == "posix":
        assert secret.stat().st_mode & 0o777 == 0o600
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*exe, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk/", timeout=2) as resp:
                    assert resp.status == 200 and "Kata sandi" in resp.read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("docgen serve did not answer")
        assert (root / ".docgen-serve").read_text().strip() == f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v/tidak-ada", timeout=5)
        assert e.value.code == 404
    finally:
        proc.terminate()
        proc.wait(30)
    assert not (root / ".docgen-serve").exists()


def test_agenda_pages_newest_first(tmp_path):
    """The buku agenda page asks the register for one page, not the whole year."""
    import datetime as dt

    from docgen.config import Penomoran
    from docgen.register import Register

    with Register(tmp_path / "r.sqlite", Penomoran(), unit="Diskominfo",
                  today=lambda: dt.date(2026, 3, 1)) as reg:
        for i in range(7):
            reg.take(klasifikasi="000.7.5" if i % 2 else "400.14", perihal=f"surat {i}")
        assert reg.count(tahun=2026) == 7 and reg.count(tahun=2026, klasifikasi="000.7") == 3
        assert [e.urut for e in reg.page(tahun=2026, offset=0, limit=3)] == [7, 6, 5]
        assert [e.urut for e in reg.page(tahun=2026, offset=6, limit=3)] == [1]
        assert [e.perihal for e in reg.page(tahun=2026, klasifikasi="000.7")] == ["surat 5", "surat 3", "surat 1"]


def _post_of(widgets) -> dict:
    """What a browser posts for a form showing these widgets (their values as shown)."""
    out: dict = {}
    for w in widgets:
        if w.tipe == "group":
            out.update(_post_of(w.children))
        elif w.tipe == "records":
            for row in w.rows:
                out.update(_post_of(row))
        elif w.tipe == "multi":
            out[f"{w.path}.__multi"] = "1"
            out[w.path] = w.values
        elif w.tipe == "lines":
            out[w.path] = w.lines_text
        elif w.tipe == "bool":
            out[f"{w.path}.__bool"] = "1"
            if w.value:
                out[w.path] = "on"
        else:
            out[w.path] = str(w.value)
    return out


class _Post(dict):
    def getlist(self, key):
        v = self.get(key, [])
        return v if isinstance(v, list) else [v]


@pytest.mark.parametrize("name", ["surat-pengantar", "disposisi", "permintaan-data", "laporan", "nota-dinas",
                                  "surat-dinas", "surat-tugas", "surat-undangan", "berita-acara",
                                  "surat-keputusan", "sop"])
def test_every_kind_round_trips_through_its_form(web_env, name):  # noqa: F811
    """The form of each kind shows its example file, and posting it back gives the same
    data (after validation) as the file: the form covers the schema."""
    from docgen import datafile
    from docgen.kinds import get
    from docgen.web import skema

    ws = web_env.ws
    kind = get(name, ws)
    example = ws.root / "contoh" / (kind.example or f"{name}.yaml")
    if name == "sop":
        example = sorted((ws.root / "contoh" / "sop").glob("*.yaml"))[0]
    raw = datafile.load_yaml(example)
    widgets = skema.fields(ws, kind.model, raw, {}, extra_rows=0)
    back = skema.parse(kind.model, _Post(_post_of(widgets)))
    want = kind.model.model_validate(raw).model_dump(exclude={k for k in kind.model.model_fields
                                                              if k.startswith("pilihan_")})
    got = kind.model.model_validate(back).model_dump(exclude={k for k in kind.model.model_fields
                                                              if k.startswith("pilihan_")})
    assert _stripped(got) == _stripped(want)  # a textarea keeps no trailing newline
    assert as_user("staf").get(f"/naskah/baru/{name}/").status_code == 200


def _stripped(v):
    if isinstance(v, dict):
        return {k: _stripped(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_stripped(x) for x in v]
    return v.strip() if isinstance(v, str) else v
