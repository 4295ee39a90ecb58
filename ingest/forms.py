"""Forms of the ingest page: a URL, pasted text, an uploaded file, a feed."""

from django import forms
from django.conf import settings

from .models import Feed

TEXT_FILE_TYPES = (".txt", ".text", ".md", ".html", ".htm")
MIN_TEXT_CHARS = 40


class UrlForm(forms.Form):
    url = forms.URLField(max_length=2000, label="Article URL", assume_scheme="https")


class TextForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, label="Title (optional)")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Article text")

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < MIN_TEXT_CHARS:
            raise forms.ValidationError(f"Paste at least {MIN_TEXT_CHARS} characters of the article.")
        if len(text.encode()) > settings.INGEST_MAX_BYTES:
            raise forms.ValidationError("The text is too long.")
        return text


class FileForm(forms.Form):
    file = forms.FileField(label="Text or HTML file", help_text="UTF-8 .txt, .md or .html")

    def clean_file(self) -> tuple[str, str]:
        upload = self.cleaned_data["file"]
        name = upload.name or "upload.txt"
        if not name.lower().endswith(TEXT_FILE_TYPES):
            raise forms.ValidationError("Upload a .txt, .md or .html file.")
        if upload.size > settings.INGEST_MAX_BYTES:
            raise forms.ValidationError("The file is too large.")
        try:
            text = upload.read().decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text.") from exc
        if len(text) < MIN_TEXT_CHARS:
            raise forms.ValidationError("The file holds almost no text.")
        return name, text


class FeedForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, label="Feed URL (RSS or Atom)", assume_scheme="https")

    class Meta:
        model = Feed
        fields = ["url", "title", "interval_minutes"]
        labels = {"interval_minutes": "Poll every (minutes)"}
