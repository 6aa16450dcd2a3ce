"""What `make run` and `make model` tell a person: steps, durations, training progress.

Library output (TensorFlow, SQLAlchemy, pkg_resources, Rasa's warnings and INFO lines,
pip) goes to a log file under var/log/, never to the terminal unless VERBOSE=1; the
terminal gets one short French line per step, with its duration.

Two commands, standard library only (runs with any Python 3.10+, before the environments
exist):

    progress.py step LABEL --done TEXT [--log FILE] [--show-stdout] -- COMMAND...
    progress.py train --log FILE -- rasa train ...

`train` reads what Rasa writes (its "Starting to train component 'X'" lines and tqdm bars,
"Epochs:  35%|███▌ | 28/80 [02:10<04:02, ...]") and shows one line per phase with a
percentage and the time left.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "log"

# ---------------------------------------------------------------------------------------
# The warning filter: which lines of library output are noise for a newcomer.

NOISE = re.compile(
    r"Warning\b|Warning:|warnings\.warn|DeprecationWarning|UserWarning|FutureWarning|"
    r"declare_namespace|pkg_resources|MovedIn20Warning|SADeprecationWarning|"
    r"Implementing implicit namespace|xla_computation|^\s*(import|from) \S|"
    r"^\s*Base: DeclarativeMeta|^\s*[A-Za-z_.]+\s*=\s*\w+\(|^\s*\)\.\w+\(|"
    r"^\s*[\w.]+\.(setParseAction|parseString|resetCache)\(|"
    r"tensorflow|absl|oneDNN|cpu_feature_guard|rebuild TensorFlow|XLA|cuda|TF-TRT|"
    r"setParseAction|parseString|resetCache|LooseVersion|originalTextFor|"
    r"^\s*declare_namespace\(|^\s*$",
    re.IGNORECASE,
)
# A log line from a library (Rasa, alembic, uvicorn) below WARNING.
INFO_LINE = re.compile(r"^(\d{4}-\d\d-\d\d[ T][\d:,.]+\s+)?(DEBUG|INFO)\b|^INFO\s*[:\[]")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def is_noise(line: str) -> bool:
    """True for a library warning, its source line, an INFO log line or a blank line."""
    plain = strip_ansi(line)
    return bool(NOISE.search(plain) or INFO_LINE.search(plain))


def meaningful(lines: Iterable[str]) -> list[str]:
    """The lines a person should see when something fails (errors, tracebacks, messages)."""
    return [strip_ansi(line) for line in lines if not is_noise(line) and not BAR.search(line)]


# ---------------------------------------------------------------------------------------
# Durations and times in French.


def duration(seconds: float) -> str:
    """'0,4 s', '12 s', '3 min 05 s', '1 h 02 min'."""
    if seconds < 10:
        return f"{seconds:.1f} s".replace(".", ",")
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def time_left(seconds: float | None) -> str:
    """'environ 6 min restantes', 'environ 40 s restantes', '' when unknown."""
    if seconds is None:
        return ""
    if seconds < 10:
        return "quelques secondes restantes"
    if seconds < 60:
        return f"environ {round(seconds / 10) * 10} s restantes"
    minutes = round(seconds / 60)
    return f"environ {minutes} min restante{'s' if minutes > 1 else ''}"


def clock(text: str) -> float | None:
    """tqdm's '04:02' or '1:02:03' in seconds; None for '?'."""
    if not re.fullmatch(r"\d+(:\d\d)+", text):
        return None
    seconds = 0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return float(seconds)


# ---------------------------------------------------------------------------------------
# The progress parser.

# "Epochs:  35%|███▌      | 28/80 [02:10<04:02,  4.66s/it, t_loss=...]"
# "Processed actions: 5it [00:00, 40721.40it/s, # examples=4]"  (no total)
BAR = re.compile(
    r"(?P<desc>[A-Za-z][\w ]*?):\s+(?:(?P<pct>\d+)%\|[^|]*\|\s*)?"
    r"(?P<n>\d+)(?:/(?P<total>\d+)|it)\s*\[(?P<elapsed>[\d:]+)(?:<(?P<left>[\d:?]+))?"
)
COMPONENT = re.compile(r"Starting to train component '(?P<name>\w+)'")
FINISHED = re.compile(r"Finished training component '(?P<name>\w+)'")

# What each part of the training is, for a person who never heard of Rasa.
PHASES = {
    "DIETClassifier": "compréhension des messages",
    "TEDPolicy": "suite du dialogue",
    "RulePolicy": "règles de conversation",
    "MemoizationPolicy": "histoires apprises",
    "ResponseSelector": "réponses aux questions",
}
PREPARATION_PARTS = ("Featurizer", "Tokenizer", "NLP")
PREPARING = "vérification des données et chargement du français (spaCy)"


def phase_of(component: str) -> str:
    if component in PHASES:
        return PHASES[component]
    if component.endswith("Policy"):
        return "règles de conversation"
    if component.endswith(PREPARATION_PARTS):
        return "préparation des exemples"
    return "réglages de la compréhension"  # entity extractors, synonyms, fallback, danger words


@dataclass
class Progress:
    """Where the training is: the phase, and its bar when it has one."""

    phase: str
    done: int | None = None
    total: int | None = None
    left: float | None = None  # seconds, None when unknown
    epochs: bool = False

    @property
    def percent(self) -> int | None:
        if self.done is None or not self.total:
            return None
        return int(100 * self.done / self.total)

    def line(self) -> str:
        parts = [f"Entraînement du modèle : {self.phase}"]
        if self.percent is not None:
            detail = f"{self.percent} %"
            if self.epochs:
                detail += f" (époque {self.done}/{self.total})"
            parts.append(detail)
            if self.done != self.total and self.left is not None:
                parts.append(time_left(self.left))
        return ", ".join(parts)


class TrainingParser:
    """Fed with what `rasa train` writes; yields a Progress each time it changes.

    tqdm rewrites its bar with carriage returns: both '\\r' and '\\n' end a segment.
    """

    def __init__(self) -> None:
        self.component = ""
        self.current = Progress(PREPARING)
        self._pending = ""

    def feed(self, text: str) -> Iterator[Progress]:
        segments = re.split(r"[\r\n]", self._pending + text)
        self._pending = segments.pop()  # an unfinished segment waits for the next chunk
        for segment in segments:
            update = self.parse(segment)
            if update is not None:
                yield update

    def close(self) -> Iterator[Progress]:
        if self._pending:
            update = self.parse(self._pending)
            self._pending = ""
            if update is not None:
                yield update

    def parse(self, segment: str) -> Progress | None:
        plain = strip_ansi(segment)
        started = COMPONENT.search(plain)
        if started:
            self.component = started.group("name")
            phase = phase_of(self.component)
            if phase == self.current.phase and self.current.percent is None:
                return None
            self.current = Progress(phase)
            return self.current
        bar = BAR.search(plain)
        if not bar:
            return None
        if bar.group("desc").strip() != "Epochs":
            return None  # story blocks, trackers, actions: seconds each, the phase says enough
        total = int(bar.group("total")) if bar.group("total") else None
        done = int(bar.group("n"))
        left = clock(bar.group("left") or "?")
        elapsed = clock(bar.group("elapsed")) or 0.0
        if left is None and done and total:
            left = elapsed / done * (total - done)
        phase = phase_of(self.component) if self.component else "compréhension des messages"
        update = Progress(phase, done, total, left, epochs=True)
        if (update.phase, update.done, update.total) == (
            self.current.phase,
            self.current.done,
            self.current.total,
        ):
            self.current = update
            return None
        self.current = update
        return update


# ---------------------------------------------------------------------------------------
# The terminal: one line per phase (rewritten in place on a terminal, every 10 % otherwise).


class Display:
    def __init__(self, tty: bool, write: Callable[[str], None] | None = None) -> None:
        self.tty = tty
        self.write = write or _write
        self.phase = ""
        self.last_tenth = -1
        self.open_line = False

    def show(self, progress: Progress) -> None:
        line = progress.line()
        new_phase = progress.phase != self.phase
        if self.tty:
            if new_phase and self.open_line:
                self.write("\n")
            self.write("\r\033[K" + line)
            self.open_line = True
        else:
            tenth = (progress.percent or 0) // 10
            if new_phase or tenth != self.last_tenth:
                self.write(line + "\n")
            self.last_tenth = tenth
        self.phase = progress.phase

    def end(self) -> None:
        if self.tty and self.open_line:
            self.write("\n")
        self.open_line = False


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError:
        pass


def verbose() -> bool:
    return os.environ.get("VERBOSE", "") not in ("", "0")


def log_path(name: str | None) -> Path:
    path = Path(name) if name else LOG_DIR / "setup.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def failed(label: str, code: int, log: Path, output: str) -> int:
    print(f"✗ {label} : échec (code {code}).", file=sys.stderr)
    tail = meaningful(re.split(r"[\r\n]", output))[-25:]
    if tail:
        print("  Dernières lignes utiles :", file=sys.stderr)
        for line in tail:
            print(f"    {line}", file=sys.stderr)
    print(f"  Tout est dans {shown(log)} (ou relancez avec VERBOSE=1).", file=sys.stderr)
    return code


# ---------------------------------------------------------------------------------------
# Commands.


def run_step(
    label: str, done: str, command: list[str], log: Path, show_stdout: bool = False
) -> int:
    """Run one step with its output in the log; print the label, then done and the duration."""
    started = time.monotonic()
    print(f"… {label}", flush=True)
    if verbose():
        code = subprocess.call(command)
        if code:
            return code
        print(f"✓ {done} ({duration(time.monotonic() - started)})", flush=True)
        return 0
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} {label}: {' '.join(command)}\n")
        out.flush()
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",
        )
        out.write(result.stdout)
        out.write(result.stderr)
    if result.returncode:
        return failed(label, result.returncode, log, result.stdout + "\n" + result.stderr)
    message = done.format(**facts(result.stdout + result.stderr))
    print(f"✓ {message} ({duration(time.monotonic() - started)})", flush=True)
    if show_stdout:
        for line in result.stdout.splitlines():
            if not is_noise(line) or not line.strip():
                print(line)
    return 0


def facts(output: str) -> dict[str, str]:
    """Figures a step's done-text may quote: {migrations} applied by alembic."""
    applied = len(re.findall(r"Running upgrade ", output))
    if applied == 1:
        migrations = "1 migration appliquée"
    elif applied:
        migrations = f"{applied} migrations appliquées"
    else:
        migrations = "déjà à jour"
    return {"migrations": migrations}


def run_training(command: list[str], log: Path, tty: bool) -> int:
    """Run `rasa train`, everything it writes into `log`, its progress on the terminal."""
    started = time.monotonic()
    parser = TrainingParser()
    display = Display(tty)
    display.show(parser.current)
    captured: list[str] = []
    with log.open("w", encoding="utf-8") as out:
        out.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(command)}\n")
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0
        )
        assert process.stdout is not None
        while True:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            text = chunk.decode("utf-8", "replace")
            out.write(text)
            out.flush()
            captured.append(text)
            if len(captured) > 400:
                del captured[:200]
            if verbose():
                _write(text)
                continue
            for update in parser.feed(text):
                display.show(update)
        for update in parser.close():
            display.show(update)
        code = process.wait()
    display.end()
    if code:
        return failed("Entraînement du modèle", code, log, "".join(captured))
    print(f"  (détails de l'entraînement : {shown(log)}, {duration(time.monotonic() - started)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    head, command = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = args.add_subparsers(dest="command", required=True)
    step = commands.add_parser("step")
    step.add_argument("label")
    step.add_argument("--done", required=True)
    step.add_argument("--log")
    step.add_argument("--show-stdout", action="store_true")
    since = commands.add_parser("since", help="the French duration since a `date +%s.%N`")
    since.add_argument("start", type=float)
    train = commands.add_parser("train")
    train.add_argument("--log")
    options = args.parse_args(head)
    if options.command == "since":
        print(duration(max(0.0, time.time() - options.start)))
        return 0
    if not command:
        args.error("la commande manque après --")
    if options.command == "step":
        return run_step(
            options.label, options.done, command, log_path(options.log), options.show_stdout
        )
    return run_training(
        command, log_path(options.log or str(LOG_DIR / "training.log")), sys.stdout.isatty()
    )


if __name__ == "__main__":
    sys.exit(main())
