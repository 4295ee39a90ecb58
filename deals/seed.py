"""Reference data loaded by data migrations: states and blocs, the taxonomy, currencies and rates.

Each function takes the migration's app registry so it works on historical models, and is
idempotent (update_or_create), so it can also refresh an existing database.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pycountry
from django.apps import apps as global_apps

from .access import ANALYSTS_GROUP, VIEWERS_GROUP
from .reference import BLOCS, DISPLAY_NAMES, EXTRA_STATES, UN_MEMBERS
from .taxonomy import GROUPS

RATES_FILE = Path(__file__).parent / "data" / "usd_rates.csv"
ACCESS_GROUPS = (ANALYSTS_GROUP, VIEWERS_GROUP)


def ensure_reference_data(sender, *, apps=global_apps, using="default", **kwargs) -> None:
    """After migrate or flush: put back the reference data when its tables are empty.

    The data migrations seed a new database; this restores the same rows after a test run's
    flush empties every table, and is a no-op when they are present.
    """
    Category = apps.get_model("deals", "Category")
    Group = apps.get_model("auth", "Group")
    if not Category.objects.using(using).exists():
        seed_parties(apps)
        seed_categories(apps)
        seed_currencies(apps)
        from .merging import forget_reference_cache

        forget_reference_cache()
    for name in ACCESS_GROUPS:
        Group.objects.using(using).get_or_create(name=name)


def country_name(country) -> str:
    return DISPLAY_NAMES.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def seed_parties(apps, schema_editor=None) -> None:
    Party = apps.get_model("deals", "Party")
    for country in pycountry.countries:
        aliases = sorted(
            {getattr(country, attr, None) for attr in ("name", "official_name", "common_name")} - {None}
        )
        Party.objects.update_or_create(
            code=country.alpha_2,
            defaults={
                "name": country_name(country),
                "kind": "state",
                "aliases": aliases,
                "un_member": country.alpha_2 in UN_MEMBERS,
            },
        )
    for code, name in EXTRA_STATES.items():
        Party.objects.update_or_create(code=code, defaults={"name": name, "kind": "state", "aliases": [name]})
    for code, name in BLOCS.items():
        Party.objects.update_or_create(code=code, defaults={"name": name, "kind": "bloc", "aliases": [name]})


def seed_categories(apps, schema_editor=None) -> None:
    Category = apps.get_model("deals", "Category")
    position = 0
    for group_slug, group_name, leaves in GROUPS:
        position += 1
        group, _ = Category.objects.update_or_create(
            slug=group_slug, defaults={"name": group_name, "parent": None, "position": position}
        )
        for leaf_slug, leaf_name in leaves:
            position += 1
            Category.objects.update_or_create(
                slug=leaf_slug, defaults={"name": leaf_name, "parent": group, "position": position}
            )


def seed_currencies(apps, schema_editor=None) -> None:
    Currency = apps.get_model("deals", "Currency")
    ExchangeRate = apps.get_model("deals", "ExchangeRate")
    for currency in pycountry.currencies:
        Currency.objects.update_or_create(code=currency.alpha_3, defaults={"name": currency.name})
    for code, year, rate in read_rates():
        ExchangeRate.objects.update_or_create(currency_id=code, year=year, defaults={"units_per_usd": rate})


def read_rates(path: Path = RATES_FILE) -> list[tuple[str, int, Decimal]]:
    """(currency, year, units per USD) rows from the yearly-average table."""
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(lines)
    rows = []
    for record in reader:
        code = record.pop("currency")
        rows.extend((code, int(year), Decimal(rate)) for year, rate in record.items())
    return rows
