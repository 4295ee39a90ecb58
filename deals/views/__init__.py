"""The dashboard pages."""

from .detail import deal_detail
from .listing import deal_export_csv, deal_export_json, deal_list
from .pages import article, country, overview, sources
from .review import deal_confirm, deal_edit, deal_merge, deal_reject, deal_split, review_queue

__all__ = [
    "article",
    "country",
    "deal_confirm",
    "deal_detail",
    "deal_edit",
    "deal_export_csv",
    "deal_export_json",
    "deal_list",
    "deal_merge",
    "deal_reject",
    "deal_split",
    "overview",
    "review_queue",
    "sources",
]
