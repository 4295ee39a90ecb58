"""python manage.py extract --jsonl FILE [FILE ...]: print the deals of each file as JSON lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.extract import extract, parse_document


class Command(BaseCommand):
    help = "Extract deals from article files and print one JSON object per file (writes nothing to the database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--jsonl", nargs="+", required=True, metavar="FILE", help="article files (text or HTML)"
        )

    def handle(self, *args, **options):
        failed = False
        for source in options["jsonl"]:
            record = self._record(source)
            failed = failed or "error" in record
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        if failed:
            self.stdout.flush()
            sys.stdout.flush()
            raise CommandError("some files could not be read", returncode=1)

    def _record(self, source: str) -> dict:
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            return {"source": source, "error": error.strerror or str(error), "deals": []}
        document = parse_document(data, filename=source)
        deals = extract(document.text, published=document.published)
        return {"source": source, "deals": [deal.to_dict() for deal in deals]}
