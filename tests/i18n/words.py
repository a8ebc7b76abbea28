"""What the language tests look for: Indonesian words that must not show on an English page, and the data
(names, notes, checklists) to take out of a page's text first, since data is not translated."""

import re

from django.apps import apps
from django.db import models

from simpul import catalogue

INDONESIAN = re.compile(
    r"\b(mati|hidup|belum|simpan|aset|lokasi|tidak|perintah kerja|laporan|instansi|gangguan|ketersediaan|"
    r"peringatan|jadwal|sejak|dari|hari|menit|sudah|yang|dan|bulan|pemeliharaan|apel|stok|petugas|kosong|"
    r"wajib|selesai|terbuka|tenggat|kesenjangan|berakhir|dasbor|keluar|masuk|halaman|Januari|Februari|Maret|"
    r"Mei|Juni|Juli|Agustus|Oktober|Desember)\b",
    re.I,
)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def data() -> list[str]:
    """Every text the database holds (names, notes, checklists, stored reasons), longest first; a text the
    catalogue translates is left in, since it must read in the page's language."""
    msgids = {key for key in catalogue.compiled(catalogue.PO) if isinstance(key, str)}
    found = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                found.update(" ".join(text.split()) for text in strings(list(row)))
    return sorted((text for text in found if len(text) >= 4 and text not in msgids), key=len, reverse=True)
