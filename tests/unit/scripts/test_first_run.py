"""What `make run` and `make model` print: training progress, the warning filter, steps.

The recorded output (data/rasa_train_stderr.txt) is what `rasa train` 3.6.21 wrote on a
small French project (spaCy pipeline, DIET 12 epochs, RulePolicy, MemoizationPolicy,
TEDPolicy 6 epochs): tqdm bars rewritten with carriage returns, INFO lines, warnings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import progress  # noqa: E402
from progress import Display, Progress, TrainingParser  # noqa: E402

RECORDED = (Path(__file__).parent / "data" / "rasa_train_stderr.txt").read_text(encoding="utf-8")


def parse_all(text: str, chunk: int | None = None) -> list[Progress]:
    parser = TrainingParser()
    updates: list[Progress] = []
    pieces = [text] if chunk is None else [text[i : i + chunk] for i in range(0, len(text), chunk)]
    for piece in pieces:
        updates.extend(parser.feed(piece))
    updates.extend(parser.close())
    return updates


def test_recorded_training_gives_its_phases_in_order() -> None:
    phases: list[str] = []
    for update in parse_all(RECORDED):
        if not phases or phases[-1] != update.phase:
            phases.append(update.phase)
    assert phases == [
        "préparation des exemples",
        "compréhension des messages",
        "réglages de la compréhension",
        "histoires apprises",
        "règles de conversation",
        "suite du dialogue",
    ]


def test_recorded_epochs_are_counted_with_a_time_left() -> None:
    epochs = [
        u for u in parse_all(RECORDED) if u.epochs and u.phase == "compréhension des messages"
    ]
    assert [u.done for u in epochs][-1] == 12
    assert all(u.total == 12 for u in epochs)
    assert sorted({u.done for u in epochs}) == [u.done for u in epochs]  # one line per epoch
    assert (
        epochs[-1].line()
        == "Entraînement du modèle : compréhension des messages, 100 % (époque 12/12)"
    )
    middle = next(u for u in epochs if u.done == 6)
    assert middle.left is not None
    assert middle.line().startswith(
        "Entraînement du modèle : compréhension des messages, 50 % (époque 6/12), "
    )
    assert middle.line().endswith("restantes")


def test_chunks_cut_anywhere_give_the_same_progress() -> None:
    whole = [u.line() for u in parse_all(RECORDED)]
    assert [u.line() for u in parse_all(RECORDED, chunk=7)] == whole
    assert [u.line() for u in parse_all(RECORDED, chunk=4096)] == whole


def test_a_long_diet_training_line() -> None:
    parser = TrainingParser()
    text = (
        "2026-12-06 07:23:21 INFO     rasa.engine.training.hooks  - "
        "Starting to train component 'DIETClassifier'.\n"
        "Epochs:  35%|███▌      | 28/80 [03:10<05:52,  6.77s/it, t_loss=2.1, i_acc=0.93]\r"
    )
    updates = list(parser.feed(text))
    assert updates[-1].line() == (
        "Entraînement du modèle : compréhension des messages, 35 % (époque 28/80), "
        "environ 6 min restantes"
    )


def test_unknown_time_left_is_estimated_from_the_elapsed_time() -> None:
    parser = TrainingParser()
    list(parser.feed("Starting to train component 'TEDPolicy'.\n"))
    (update,) = parser.feed("Epochs:  10%|█         | 10/100 [01:00<?, ?it/s]\n")
    assert update.phase == "suite du dialogue"
    assert update.left == pytest.approx(540)
    assert update.line().endswith("(époque 10/100), environ 9 min restantes")


def test_bars_of_trackers_and_custom_components() -> None:
    parser = TrainingParser()
    (update,) = parser.feed("Starting to train component 'DangerQuestionPolicy'.\n")
    assert update.phase == "règles de conversation"
    assert list(parser.feed("Processed trackers: 100%|██████████| 3/3 [00:00<00:00]\n")) == []
    (update,) = parser.feed("Starting to train component 'SpacyFeaturizer'.\n")
    assert update.phase == "préparation des exemples"


def test_display_prints_a_line_every_tenth_without_a_terminal() -> None:
    written: list[str] = []
    display = Display(tty=False, write=written.append)
    for done in range(0, 81):
        display.show(Progress("compréhension des messages", done, 80, 80 - done, epochs=True))
    display.end()
    assert len(written) == 11  # 0 %, 10 %, ..., 100 %
    assert (
        written[-1] == "Entraînement du modèle : compréhension des messages, 100 % (époque 80/80)\n"
    )


def test_display_rewrites_one_line_per_phase_on_a_terminal() -> None:
    written: list[str] = []
    display = Display(tty=True, write=written.append)
    display.show(Progress("préparation des exemples"))
    display.show(Progress("compréhension des messages", 1, 80, 300, epochs=True))
    display.show(Progress("compréhension des messages", 2, 80, 290, epochs=True))
    display.end()
    text = "".join(written)
    assert text.count("\n") == 2  # the finished phase's line stays, then the last one
    assert "\r\033[K" in text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.42, "0,4 s"), (12.4, "12 s"), (185, "3 min 05 s"), (3720, "1 h 02 min")],
)
def test_durations_in_french(seconds: float, text: str) -> None:
    assert progress.duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (4, "quelques secondes restantes"),
        (38, "environ 40 s restantes"),
        (65, "environ 1 min restante"),
        (352, "environ 6 min restantes"),
    ],
)
def test_time_left_in_french(seconds: float | None, text: str) -> None:
    assert progress.time_left(seconds) == text


# The warning filter ----------------------------------------------------------------------


def test_every_library_line_of_a_recorded_training_is_noise() -> None:
    lines = [line for line in RECORDED.replace("\r", "\n").split("\n") if line.strip()]
    kept = progress.meaningful(lines)
    assert kept == []  # warnings, their source lines, INFO lines and tqdm bars: all in the log


@pytest.mark.parametrize(
    "line",
    [
        "/x/site-packages/rasa/core/tracker_store.py:1044: MovedIn20Warning: Deprecated API",
        "  Base: DeclarativeMeta = declarative_base()",
        "/x/pkg_resources/__init__.py:3117: DeprecationWarning: Deprecated call to "
        "`pkg_resources.declare_namespace('ruamel')`.",
        "  import pkg_resources",
        "\x1b[93m/x/rasa/shared/utils/io.py:100: UserWarning: 'evaluate_every'\x1b[0m",
        "2026-12-06 07:23:21.527 I tensorflow/core/util/port.cc:113] oneDNN custom operations on.",
        "INFO  [alembic.runtime.migration] Running upgrade 0012 -> 0013, handoffs",
        "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
        "2026-12-06 07:23:07 INFO     rasa.validator  - Validating intents...",
        "",
    ],
)
def test_library_noise(line: str) -> None:
    assert progress.is_noise(line)


@pytest.mark.parametrize(
    "line",
    [
        "Traceback (most recent call last):",
        "FileNotFoundError: [Errno 2] No such file or directory: 'data/nlu'",
        "2026-12-06 07:23:07 ERROR    rasa.core.agent  - Could not load model",
        "ERROR: Could not find a version that satisfies the requirement rasa==3.6.21",
        "Données de démonstration : 12 lieux, 8 conseillers.",
    ],
)
def test_what_a_person_must_see(line: str) -> None:
    assert not progress.is_noise(line)


# Steps -----------------------------------------------------------------------------------

NOISY = (
    "import sys, warnings\n"
    "warnings.warn('pkg_resources is deprecated', DeprecationWarning, stacklevel=1)\n"
    "print('INFO  [alembic.runtime.migration] Running upgrade 1 -> 2, x', file=sys.stderr)\n"
    "print('INFO  [alembic.runtime.migration] Running upgrade 2 -> 3, y', file=sys.stderr)\n"
)


def run_progress(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "progress.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "default", "VERBOSE": "", **(env or {})},
        timeout=60,
    )


def test_a_step_prints_its_french_line_and_logs_the_warnings(tmp_path: Path) -> None:
    log = tmp_path / "setup.log"
    result = run_progress(
        "step", "Migrations", "--done", "Base de données : {migrations}", "--log", str(log),
        "--", sys.executable, "-c", NOISY,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "… Migrations"
    assert lines[1].startswith("✓ Base de données : 2 migrations appliquées (")
    assert len(lines) == 2 and result.stderr == ""
    logged = log.read_text(encoding="utf-8")
    assert "DeprecationWarning" in logged and "Running upgrade 2 -> 3" in logged


def test_a_step_with_verbose_shows_everything(tmp_path: Path) -> None:
    result = run_progress(
        "step", "Migrations", "--done", "fait", "--log", str(tmp_path / "setup.log"),
        "--", sys.executable, "-c", NOISY, env={"VERBOSE": "1"},
    )  # fmt: skip
    assert "DeprecationWarning" in result.stderr
    assert "✓ fait" in result.stdout


def test_a_failed_step_shows_the_error_and_where_the_log_is(tmp_path: Path) -> None:
    log = tmp_path / "setup.log"
    failing = NOISY + "raise SystemExit('La base est inaccessible')\n"
    result = run_progress(
        "step", "Migrations", "--done", "fait", "--log", str(log),
        "--", sys.executable, "-c", failing,
    )  # fmt: skip
    assert result.returncode == 1
    assert "✗ Migrations : échec (code 1)." in result.stderr
    assert "La base est inaccessible" in result.stderr
    assert "DeprecationWarning" not in result.stderr
    assert str(log) in result.stderr or "setup.log" in result.stderr


def test_training_through_a_fake_rasa(tmp_path: Path) -> None:
    """`progress.py train` on the recorded output: French phases, everything in the log."""
    fake = tmp_path / "rasa"
    recorded = str(Path(__file__).parent / "data" / "rasa_train_stderr.txt")
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stderr.write(open({recorded!r}).read())\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    log = tmp_path / "training.log"
    result = run_progress("train", "--log", str(log), "--", str(fake))
    assert result.returncode == 0, result.stderr
    assert (
        "Entraînement du modèle : compréhension des messages, 100 % (époque 12/12)" in result.stdout
    )
    assert "Warning" not in result.stdout and "INFO" not in result.stdout
    assert "Epochs:" in log.read_text(encoding="utf-8")


# The model step, from the cache ------------------------------------------------------------


def test_the_cached_model_is_reused_and_said_in_french(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SENIOR_PLUS_CACHE": str(tmp_path / "cache"),
        "SENIOR_PLUS_MODELS": str(tmp_path / "models"),
    }
    model_sh = str(ROOT / "scripts" / "model.sh")
    fingerprint = subprocess.run(
        [model_sh, "--fingerprint"], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    assert len(fingerprint) == 16
    cached = tmp_path / "cache" / "models" / f"senior-plus-{fingerprint}.tar.gz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a real model")

    first = subprocess.run([model_sh], capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("✓ Modèle déjà entraîné (cache ")
    assert " : prêt en " in first.stdout
    current = tmp_path / "models" / "current.tar.gz"
    assert current.read_bytes() == b"not a real model"

    again = subprocess.run([model_sh], capture_output=True, text=True, env=env, timeout=60)
    assert again.stdout.startswith("✓ Modèle déjà entraîné (")
    assert "Entraînement" not in again.stdout and again.stderr == ""
