"""The bad-input corpus (``scripts/bad_input.py``) against the real running system."""

from __future__ import annotations

from scripts.bad_input import run_corpus


def test_the_bad_input_corpus_gets_no_5xx_and_loses_no_message(system, line_api):
    figures = run_corpus(system.gateway_url, system.database_url, line_api)
    print(figures.report())
    assert sum(figures.inputs.values()) >= 250
    assert figures.server_errors == 0
    assert figures.problems == []
    assert figures.recorded == figures.should_record > 0
    assert figures.recorded_though_refused == 0
    assert figures.line_replies_delivered == figures.line_replies_expected > 0
    assert figures.line_unexpected_replies == 0
    assert figures.ok
