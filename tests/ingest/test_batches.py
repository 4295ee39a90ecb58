"""Jobs run in batches: the same records as running them one by one, with each job's outcome kept."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone
from kombu.exceptions import OperationalError

from deals.merging import deal_merge_candidate, deal_merge_reports
from deals.models import Article, Deal, Evidence, Role, StatusChange
from ingest import services, tasks
from ingest.models import ArticleShingle, IngestJob, JobKind, JobState
from ingest.services import ingest_job_run, ingest_jobs_enqueue, ingest_jobs_requeue_stale, ingest_jobs_run
from tests.deals.reports import reported_deal
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LEOPARD_REPORTS = [
    "Title: Oslo orders German tanks\nPublished: 2024-03-01\n\n"
    "Norway has ordered 54 Leopard 2A8 tanks from Germany, the defence ministry in Oslo said on Friday.\n",
    "Title: Berlin confirms tank sale\nPublished: 2024-03-02\n\n"
    "Germany will supply 54 Leopard 2A8 tanks to Norway under a contract signed this week.\n",
    "Title: Price of the Norwegian tank deal\nPublished: 2024-03-04\n\n"
    "Norway signed a contract with Germany for 54 Leopard 2A8 tanks worth about 1.9 billion euros.\n",
]
WIRE_STORY = (
    "Title: Warsaw buys Korean tanks\nPublished: 2024-03-08\n\n"
    "Poland signed a contract with South Korea for 180 K2 tanks on Friday, officials said. "
    "The agreement is the first executive contract under a framework deal concluded in July "
    "between Warsaw and Seoul, which foresees many more vehicles in the coming decade. "
    "Deliveries of the first tanks are scheduled to begin before the end of this year, "
    "and later batches are to be built in Polish plants under licence, the ministry added.\n"
)
# Reports whose order matters: a side filled in later, a status that must not go back, a reprint,
# the same text twice, another item between the same states.
MIXED_REPORTS = [
    "Title: Tanks for Romania\nPublished: 2024-05-01\n\n"
    "Romania signed a contract for 54 Abrams tanks, the defence ministry said.\n",
    "Title: Abrams sale approved\nPublished: 2024-05-03\n\n"
    "The United States will supply 54 Abrams tanks to Romania under a contract signed this week.\n",
    "Title: Abrams talks\nPublished: 2024-05-09\n\n"
    "Romania is negotiating with the United States over the purchase of 54 Abrams tanks.\n",
    WIRE_STORY,
    "Title: Reprint\nPublished: 2024-03-09\n\nReprinted from the wire.\n" + WIRE_STORY.split("\n\n", 1)[1],
    LEOPARD_REPORTS[0],
    LEOPARD_REPORTS[0].replace("\n\n", "\n \n"),
    "Title: Howitzers too\nPublished: 2024-03-03\n\n"
    "Norway has ordered 24 K9 self-propelled howitzers from Germany, officials said.\n",
]


def text_jobs(*texts: str) -> list[int]:
    return [IngestJob.objects.create(kind=JobKind.TEXT, text=text).pk for text in texts]


def records() -> dict:
    """What the jobs produced, described without database ids."""
    titles = dict(Article.objects.values_list("pk", "title"))
    deals = sorted(
        (
            deal.item,
            deal.status,
            deal.quantity,
            str(deal.value),
            deal.currency_id,
            str(deal.value_usd),
            deal.source_count,
            deal.outlet_count,
            str(deal.first_reported),
            str(deal.last_reported),
            deal.merge_key,
            sorted((titles[evidence.article_id], evidence.start) for evidence in deal.evidence.all()),
            sorted(deal.status_changes.values_list("status", "reported_on")),
            sorted(deal.history.values_list("history_type", "status", "quantity", "source_count")),
        )
        for deal in Deal.objects.all()
    )
    jobs = [
        (titles.get(job.article_id), job.state, job.duplicate, job.deals_created, job.deals_merged)
        for job in IngestJob.objects.order_by("pk")
    ]
    reprints = sorted(
        (titles[pk], titles.get(original))
        for pk, original in Article.objects.values_list("pk", "syndicated_from_id")
    )
    return {"deals": deals, "jobs": jobs, "reprints": reprints}


def forget_everything() -> None:
    Deal.objects.all().delete()
    ArticleShingle.objects.all().delete()
    IngestJob.objects.all().delete()
    Article.objects.all().delete()


def test_a_batch_of_three_reports_makes_one_deal_with_three_sources():
    jobs = ingest_jobs_run(job_ids=text_jobs(*LEOPARD_REPORTS))

    assert [(job.state, job.attempts) for job in jobs] == [(JobState.DONE, 1)] * 3
    assert [(job.deals_created, job.deals_merged, job.duplicate) for job in jobs] == [
        (1, 0, False),
        (0, 1, False),
        (0, 1, False),
    ]
    deal = Deal.objects.get()
    assert (deal.source_count, deal.outlet_count, deal.status) == (3, 3, "signed")
    assert (deal.value, deal.currency_id) == (1_900_000_000, "EUR")
    assert (deal.evidence.count(), deal.status_changes.count(), deal.history.count()) == (3, 3, 3)
    assert all(set(job.timings) >= {"clean", "dedup", "extract", "merge", "total"} for job in jobs)


def test_a_batch_gives_the_records_that_running_its_jobs_one_by_one_gives():
    for job_id in text_jobs(*MIXED_REPORTS):
        ingest_job_run(job_id=job_id)
    one_by_one = records()
    forget_everything()

    ingest_jobs_run(job_ids=text_jobs(*MIXED_REPORTS))

    assert records() == one_by_one
    assert ("Reprint", "Warsaw buys Korean tanks") in one_by_one["reprints"]
    assert sum(duplicate for _, _, duplicate, _, _ in one_by_one["jobs"]) == 1
    assert any(status == "signed" for _, status, *_ in one_by_one["deals"])


def test_running_a_batch_again_changes_nothing():
    job_ids = text_jobs(*LEOPARD_REPORTS)
    ingest_jobs_run(job_ids=job_ids)
    before = records()

    again = ingest_jobs_run(job_ids=job_ids)

    assert [job.attempts for job in again] == [1, 1, 1]
    assert records() == before


def test_an_unreadable_file_in_a_batch_fails_alone_with_its_reason():
    first = text_jobs(LEOPARD_REPORTS[0])
    blank = IngestJob.objects.create(kind=JobKind.FILE, text="  \n ", filename="blank.txt")
    job_ids = [*first, blank.pk, *text_jobs(LEOPARD_REPORTS[1])]

    jobs = ingest_jobs_run(job_ids=job_ids)

    assert [job.state for job in jobs] == [JobState.DONE, JobState.FAILED, JobState.DONE]
    assert jobs[1].error == "No article text could be read from the file blank.txt."
    assert Deal.objects.get().source_count == 2


def test_a_batch_that_cannot_be_stored_together_is_completed_one_by_one(monkeypatch):
    def stored_by_another_worker(sources):
        raise IntegrityError(
            'duplicate key value violates unique constraint "deals_article_content_hash_key"'
        )

    monkeypatch.setattr(services, "articles_store", stored_by_another_worker)

    jobs = ingest_jobs_run(job_ids=text_jobs(*LEOPARD_REPORTS))

    assert [(job.state, job.attempts) for job in jobs] == [(JobState.DONE, 1)] * 3
    assert [job.deals_created for job in jobs] == [1, 0, 0]
    assert (Article.objects.count(), Deal.objects.count(), Evidence.objects.count()) == (3, 1, 3)


def test_an_unexpected_error_fails_only_its_job_with_the_reason_and_is_raised(monkeypatch):
    real_extract = services.extract

    def extract(text, **kwargs):
        if "Berlin" in text:
            raise RuntimeError("extractor exploded")
        return real_extract(text, **kwargs)

    monkeypatch.setattr(services, "extract", extract)
    job_ids = text_jobs(*LEOPARD_REPORTS)

    with pytest.raises(RuntimeError):
        ingest_jobs_run(job_ids=job_ids)

    jobs = list(IngestJob.objects.filter(pk__in=job_ids).order_by("pk"))
    assert [job.state for job in jobs] == [JobState.DONE, JobState.FAILED, JobState.DONE]
    assert (
        jobs[1].error == "Unexpected error while processing this article (RuntimeError: extractor exploded)"
    )
    assert (Article.objects.count(), Deal.objects.get().source_count) == (2, 2)


def test_jobs_are_queued_in_batches_of_the_configured_size(settings, monkeypatch):
    settings.INGEST_BATCH_SIZE = 2
    sent = []
    monkeypatch.setattr(tasks.run_ingest_jobs, "delay", sent.append)
    job_ids = text_jobs(*LEOPARD_REPORTS, WIRE_STORY, MIXED_REPORTS[0])

    assert ingest_jobs_enqueue(job_ids=job_ids) == 5

    assert sent == [job_ids[0:2], job_ids[2:4], job_ids[4:]]
    assert not IngestJob.objects.filter(enqueued_at__isnull=True).exists()


def test_jobs_recorded_while_the_broker_is_down_are_left_for_the_sweeper(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_ingest_jobs, "delay", broker_down)
    job_ids = text_jobs(*LEOPARD_REPORTS)

    assert ingest_jobs_enqueue(job_ids=job_ids) == 0

    assert IngestJob.objects.filter(enqueued_at__isnull=True).count() == 3
    sent = []
    monkeypatch.setattr(tasks.run_ingest_job, "delay", sent.append)
    assert ingest_jobs_requeue_stale(now=timezone.now() + datetime.timedelta(minutes=2)) == job_ids


def article(publisher: str, published=datetime.date(2024, 3, 1)) -> Article:
    return ArticleFactory(publisher=publisher, published=published)


def test_status_never_moves_back_within_one_batch():
    [[(deal, created)], [(same, again)]] = deal_merge_reports(
        reports=[
            (article("alpha.example"), [reported_deal()]),
            (article("beta.example", datetime.date(2024, 4, 1)), [reported_deal(status="negotiating")]),
        ]
    )

    assert (created, again, same.pk) == (True, False, deal.pk)
    deal.refresh_from_db()
    assert deal.status == "signed"
    assert sorted(StatusChange.objects.values_list("status", flat=True)) == ["negotiating", "signed"]


def test_fields_an_analyst_locked_stay_when_a_batch_merges_into_the_deal():
    deal, _ = deal_merge_candidate(article=article("alpha.example"), candidate=reported_deal(quantity=None))
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Deal.objects.filter(pk=deal.pk).update(
        quantity=150,
        quantity_qualifier="exact",
        status="agreed",
        locked_fields=["quantity", "status"],
        updated_at=long_ago,
    )

    deal_merge_reports(
        reports=[
            (article("beta.example"), [reported_deal(quantity=180, status="delivered")]),
            (article("gamma.example"), [reported_deal(quantity=200, value=3e9, currency="USD")]),
        ]
    )

    deal.refresh_from_db()
    assert (deal.quantity, deal.status, deal.value) == (150, "agreed", 3_000_000_000)
    assert (deal.source_count, deal.evidence.count()) == (3, 3)
    assert deal.updated_at > long_ago


def test_a_side_missing_from_the_first_report_is_filled_by_a_later_one_in_the_same_batch():
    [[(deal, _)], [(joined, created)]] = deal_merge_reports(
        reports=[
            (article("a.example"), [reported_deal(supplier=())]),
            (article("b.example"), [reported_deal()]),
        ]
    )

    assert (joined.pk, created) == (deal.pk, False)
    assert joined.codes(Role.SUPPLIER) == ["KR"]
    assert Deal.objects.get().merge_key == "armored_vehicles|KR|PL"
