import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]


def test_importing_the_extractor_does_not_load_django():
    code = (
        "import sys; import ingest.extract as e; e.extract('Germany will send 14 tanks to Ukraine.');"
        "print('django' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
