"""Numbers and groupings the inventory rules are built on."""

from assets.choices import AssetKind, AssetStatus, Band

# Indonesia's bounding box (Sabang to Merauke, Miangas to Rote), with a small margin at sea.
LATITUDE_RANGE = (-11.5, 6.5)
LONGITUDE_RANGE = (94.5, 141.5)

# ITU band edges in MHz: [low, high).
BAND_RANGES_MHZ = {
    Band.HF: (3, 30),
    Band.VHF: (30, 300),
    Band.UHF: (300, 3000),
}

# Radios have a band by their kind; a repeater says which band it repeats.
KIND_BAND = {
    AssetKind.HF_RADIO: Band.HF,
    AssetKind.VHF_RADIO: Band.VHF,
    AssetKind.UHF_RADIO: Band.UHF,
}

# Kind-specific field groups (see assets.models.Asset) and which kinds may fill them.
FIELD_GROUPS = {
    "radio": ("band", "tx_freq_mhz", "rx_freq_mhz", "tone", "power_w", "licence"),
    "link": ("provider", "medium", "down_mbps", "up_mbps", "circuit_id", "link_role"),
    "satellite": ("sat_network", "terminal_id", "service_plan", "airtime_end"),
    "subscription": ("monthly_cost_idr", "contract_end"),
    "battery": ("battery_due", "battery_cost_idr"),
}
KIND_FIELD_GROUPS = {
    AssetKind.HF_RADIO: {"radio"},
    AssetKind.VHF_RADIO: {"radio"},
    AssetKind.UHF_RADIO: {"radio"},
    AssetKind.REPEATER: {"radio"},
    AssetKind.INTERNET_LINK: {"link", "subscription"},
    AssetKind.SATELLITE_TERMINAL: {"satellite", "subscription"},
    AssetKind.UPS: {"battery"},
    AssetKind.SOLAR_POWER: {"battery"},
}
KIND_REQUIRED_FIELDS = {
    AssetKind.REPEATER: ("band",),
    AssetKind.INTERNET_LINK: ("provider", "medium"),
    AssetKind.SATELLITE_TERMINAL: ("sat_network",),
}

# A radio in one of these states may be on the air, so it needs a licence that is in force.
TRANSMITTING_STATUSES = (AssetStatus.IN_SERVICE, AssetStatus.FAULTY)

# Licensed frequencies run from HF to UHF (the bands of BAND_RANGES_MHZ), in MHz: [low, high).
LICENCE_FREQUENCY_RANGE_MHZ = (3, 3000)
LICENCE_MAX_FREQUENCIES = 64
# Days before its expiry by which an agency files a licence renewal, unless its profile says otherwise.
DEFAULT_LICENCE_RENEWAL_LEAD_DAYS = 60

# BNPB's equipment aid for a Pusdalops asks for a radio room of at least 4 x 6 m.
RADIO_ROOM_MIN_M = (4, 6)

# EIA/TIA-603 CTCSS tones (Hz).
CTCSS_TONES = (
    "67.0",
    "69.3",
    "71.9",
    "74.4",
    "77.0",
    "79.7",
    "82.5",
    "85.4",
    "88.5",
    "91.5",
    "94.8",
    "97.4",
    "100.0",
    "103.5",
    "107.2",
    "110.9",
    "114.8",
    "118.8",
    "123.0",
    "127.3",
    "131.8",
    "136.5",
    "141.3",
    "146.2",
    "150.0",
    "151.4",
    "156.7",
    "159.8",
    "162.2",
    "165.5",
    "167.9",
    "171.3",
    "173.8",
    "177.3",
    "179.9",
    "183.5",
    "186.2",
    "189.9",
    "192.8",
    "196.6",
    "199.5",
    "203.5",
    "206.5",
    "210.7",
    "218.1",
    "225.7",
    "229.1",
    "233.6",
    "241.8",
    "250.3",
    "254.1",
)
