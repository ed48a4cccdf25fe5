"""Rule scripts log any failure with its traceback; figures say which cells were not fitted."""

import types

import pytest

from saucegrid import runner
from saucegrid.report import figures


def test_an_unexpected_error_is_logged_with_its_traceback(tmp_path):
    log = tmp_path / "rule.log"
    smk = types.SimpleNamespace(log=[str(log)], rule="demo")

    def boom(_):
        raise KeyError("a cell the grid did not fit")

    with pytest.raises(KeyError):
        runner.run(smk, boom)
    text = log.read_text()
    assert "demo failed" in text and "Traceback" in text and "did not fit" in text


def test_a_panel_without_a_fitted_cell_is_drawn_empty_with_a_note(tmp_path):
    row = {"shapley_scale": 0.3, "shapley_time": 0.1, "shapley_company": 0.2,
           "shapley_residual": 0.4, "n_obs": 100, "r2": 0.6}
    out = figures.shapley_panels([("fitted", row), ("missing", None)], tmp_path / "f.png",
                                 "title", "source")
    assert out == str(tmp_path / "f.png") and (tmp_path / "f.png").stat().st_size > 5000
    assert not (tmp_path / "f.pdf").exists()  # no output the rule does not declare
