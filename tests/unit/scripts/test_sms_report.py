"""The SMS budget of every message the bot can send (scripts/sms_report.py, in process)."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from rendering import is_gsm7

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "sms_report.py"


@pytest.fixture(scope="module")
def report() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("sms_report", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sms_report"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("sms_report", None)


def test_every_kind_of_message_is_collected(report: ModuleType) -> None:
    sources = [sample.source for sample in report.collect()]
    for kind in ("domain ", "journey ", "triage: question", "triage: plan", "apa estimate: result",
                 "speaker: question", "action_fallback"):  # fmt: skip
        assert any(source.startswith(kind) for source in sources), kind
    assert any("utter_main_menu" in source for source in sources)


def test_every_home_of_wording_is_measured(report: ModuleType) -> None:
    by_home = report.summarize(report.measure(report.collect()))["by_home"]
    assert list(by_home) == [home.name for home in report.HOMES]
    assert all(count > 0 for count in by_home.values()), by_home
    assert by_home["channels/wording.py"] >= 30  # the channels' own sentences, placeholders filled


def test_the_sms_budget_holds(report: ModuleType) -> None:
    measures = report.measure(report.collect())
    segments = [m.info.segments for m in measures]
    too_long = [(m.source, m.info.segments) for m in measures if m.info.segments > 4]
    assert statistics.median(segments) <= 2
    assert too_long == []
    assert all(m.info.encoding == "GSM-7" and is_gsm7(m.sms) for m in measures)
    assert report.within_budget(report.summarize(measures))


def test_the_script_exits_zero_and_writes_the_figures(
    report: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = tmp_path / "sms.json"
    assert report.main(["--json", str(figures)]) == 0
    assert "Segments (médiane)" in capsys.readouterr().out
    assert '"median_segments"' in figures.read_text(encoding="utf-8")
