"""`make run`'s set-up steps print one line each; a failing step shows its log's end and what to do."""

import subprocess

from bot.core.config import ROOT

STEP = ROOT / "scripts" / "step.sh"


def run_step(name: str, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STEP, name, "doing a thing", "bash", "-c", command], capture_output=True, text=True
    )


def test_a_step_keeps_its_output_in_its_log():
    done = run_step("unit-test-ok", "echo DeprecationWarning: noise; echo more noise >&2")
    log = ROOT / "var" / "log" / "setup" / "unit-test-ok.log"
    try:
        assert done.returncode == 0 and "noise" not in done.stdout + done.stderr
        assert done.stdout.startswith("doing a thing ...") and "done in" in done.stdout
        assert "more noise" in log.read_text()
    finally:
        log.unlink()


def test_a_failing_step_shows_the_log_s_last_lines_and_what_to_do():
    failed = run_step("unit-test-fails", "seq 1 100; echo 'ERROR: no such package' >&2; exit 3")
    log = ROOT / "var" / "log" / "setup" / "unit-test-fails.log"
    try:
        assert failed.returncode == 3
        assert "ERROR: no such package" in failed.stderr and "    100" in failed.stderr
        assert "\n    1\n" not in failed.stderr  # the end of the log, not all of it
        assert (
            str(log.relative_to(ROOT)) in failed.stderr and "run the same make command again" in failed.stderr
        )
    finally:
        log.unlink()
