from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    UP = "up", _("Normal")
    DEGRADED = "degraded", _("Menurun")
    DOWN = "down", _("Mati")
    UNREACHABLE = "unreachable", _("Tak terjangkau (induk mati)")
    UNKNOWN = "unknown", _("Belum diketahui")
    MAINTENANCE = "maintenance", _("Pemeliharaan")


class Source(models.TextChoices):
    ICMP = "icmp", "ICMP"
    SNMP = "snmp", "SNMP"
    RADIO_CHECK = "radio_check", _("Apel radio")


class EventKind(models.TextChoices):
    REBOOT = "reboot", _("Reboot (sysUpTime turun)")
    SNMP_AUTH_ERROR = "snmp_auth_error", _("Autentikasi SNMP gagal")
    PROBE_ERROR = "probe_error", _("Probe gagal")


class SnmpVersion(models.TextChoices):
    V2C = "2c", "v2c"
    V3 = "3", "v3"


class SnmpAuthProtocol(models.TextChoices):
    NONE = "", _("Tanpa autentikasi")
    MD5 = "MD5", "MD5"
    SHA = "SHA", "SHA-1"
    SHA256 = "SHA256", "SHA-256"
    SHA512 = "SHA512", "SHA-512"


class SnmpPrivProtocol(models.TextChoices):
    NONE = "", _("Tanpa enkripsi")
    DES = "DES", "DES"
    AES = "AES", "AES-128"
    AES256 = "AES256", "AES-256"


class PollerScope(models.TextChoices):
    AGENCY = "agency", _("Seluruh instansi")
    SITES = "sites", _("Lokasi terpilih")
