import pytest

from saucegrid import cli

from helpers import toy_sample


def test_fit_prints_a_table_and_the_shapley_shares(tmp_path, capsys):
    p = tmp_path / "s.parquet"
    toy_sample().to_parquet(p)
    rc = cli.main(["fit", str(p), "--configfile", "", "--majors", "Meta,Qwen,Nvidia"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Log(FLOPs)" in out and "Shapley shares: scale" in out and "| N" in out


def test_fit_bad_spec_is_a_clear_error(tmp_path, capsys):
    p = tmp_path / "s.parquet"
    toy_sample().to_parquet(p)
    assert cli.main(["fit", str(p), "--link", "v9", "--configfile", ""]) == 2
    assert "link" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert "saucegrid" in capsys.readouterr().out
