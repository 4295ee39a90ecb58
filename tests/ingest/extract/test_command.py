import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*paths):
    out = StringIO()
    error = None
    try:
        call_command("extract", "--jsonl", *map(str, paths), stdout=out)
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], error


def test_one_json_line_per_file_in_input_order(tmp_path):
    first = tmp_path / "b.txt"
    first.write_text("Title: T\nPublished: 2023-01-25\n\nGermany will send 14 Leopard tanks to Ukraine.\n")
    second = tmp_path / "a.html"
    second.write_text("<html><body><p>Nothing about weapons here at all.</p></body></html>")
    lines, error = run(first, second)
    assert error is None
    assert [line["source"] for line in lines] == [str(first), str(second)]
    assert lines[0]["deals"][0]["supplier"] == ["DE"]
    assert lines[1]["deals"] == []


def test_unreadable_file_reports_an_error_and_the_others_still_run(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Spain will send Patriot missiles to Ukraine.")
    missing = tmp_path / "missing.txt"
    lines, error = run(missing, good)
    assert isinstance(error, CommandError) and error.returncode == 1
    assert lines[0]["source"] == str(missing) and lines[0]["deals"] == [] and lines[0]["error"]
    assert lines[1]["deals"][0]["recipient"] == ["UA"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02" * 100])
def test_empty_or_binary_files_give_no_deals(tmp_path, content):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    lines, error = run(path)
    assert error is None and lines[0]["deals"] == []
