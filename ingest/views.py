"""The ingest page: submit an article (URL, text, file), follow the jobs, manage feeds."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from deals.decorators import analyst_required

from . import selectors
from .forms import FeedForm, FileForm, TextForm, UrlForm
from .services import ingest_job_create


@analyst_required
def ingest(request):
    """Forms to submit articles and feeds, and the latest jobs with their state and errors."""
    return _render(request)


def _render(request, *, status: int = 200, **bound_forms):
    forms = {
        "url_form": UrlForm(prefix="url"),
        "text_form": TextForm(prefix="text"),
        "file_form": FileForm(prefix="file"),
        "feed_form": FeedForm(prefix="feed"),
        **bound_forms,
    }
    context = {**forms, "jobs": selectors.recent_jobs(limit=50), "feeds": list(selectors.feeds())}
    return render(request, "ingest/ingest.html", context, status=status)


def _queued(request, job):
    messages.success(request, f"Job {job.pk} queued.")
    return redirect("ingest:ingest")


@require_POST
@analyst_required
def submit_url(request):
    form = UrlForm(request.POST, prefix="url")
    if not form.is_valid():
        return _render(request, url_form=form, status=400)
    return _queued(request, ingest_job_create(url=form.cleaned_data["url"], user=request.user))


@require_POST
@analyst_required
def submit_text(request):
    form = TextForm(request.POST, prefix="text")
    if not form.is_valid():
        return _render(request, text_form=form, status=400)
    title = form.cleaned_data["title"].strip()
    text = f"{title}\n\n{form.cleaned_data['text']}" if title else form.cleaned_data["text"]
    return _queued(request, ingest_job_create(text=text, user=request.user))


@require_POST
@analyst_required
def submit_file(request):
    form = FileForm(request.POST, request.FILES, prefix="file")
    if not form.is_valid():
        return _render(request, file_form=form, status=400)
    filename, text = form.cleaned_data["file"]
    return _queued(request, ingest_job_create(text=text, filename=filename, user=request.user))


@require_POST
@analyst_required
def feed_add(request):
    form = FeedForm(request.POST, prefix="feed")
    if not form.is_valid():
        return _render(request, feed_form=form, status=400)
    feed = form.save()
    messages.success(request, f"Feed {feed} added.")
    return redirect("ingest:ingest")


@analyst_required
def job_states(request):
    """The latest jobs' states as JSON, polled by the page while any job is unfinished."""
    return JsonResponse({"jobs": selectors.job_states(limit=50)})
