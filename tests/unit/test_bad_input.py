"""Bad input gives a clear error that names the file, the row and the fix - or a recorded
exclusion - never a bare traceback and never a silently dropped row."""

import hashlib
from pathlib import Path

import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from saucegrid import fileio
from saucegrid.data import curated, raw

from helpers import CURATED, write_curated

REPO = Path(__file__).resolve().parents[2]


def load_with(tmp_path, **override):
    return curated.load_curated(write_curated(tmp_path / "data", **override))


def test_malformed_csv_names_the_file_and_line(tmp_path):
    bad = CURATED["developers.csv"] + 'x,"unterminated,self\nmore,rows,here,and,extra\n'
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"developers.csv": bad})
    msg = str(e.value)
    assert "developers.csv" in msg and "cannot parse" in msg and "Fix:" in msg


def test_too_many_fields_names_the_line(tmp_path):
    bad = CURATED["lineage_links.csv"] + "a/b,c/d,parent,https://x,note,EXTRA\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"lineage_links.csv": bad})
    assert "line 5" in str(e.value) and "lineage_links.csv" in str(e.value)


def test_missing_column(tmp_path):
    bad = "base_model,family,params_b,is_estimate,source\norg/B,f,7,false,https://x\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"base_model_tokens.csv": bad})
    assert "tokens_t" in str(e.value) and "base_model_tokens.csv" in str(e.value)


def test_duplicate_ids_name_both_rows(tmp_path):
    bad = CURATED["developers.csv"] + "META-LLAMA,Meta,self\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"developers.csv": bad})
    assert "rows 2, 7" in str(e.value) and "duplicate alias" in str(e.value)


@pytest.mark.parametrize("value", ["0", "-2", "abc"])
def test_nonpositive_tokens_in_the_curated_table(tmp_path, value):
    bad = CURATED["base_model_tokens.csv"] + f"org/New,fam,7,{value},false,https://x,\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"base_model_tokens.csv": bad})
    assert "row 4" in str(e.value) and "tokens_t" in str(e.value)


def test_pattern_pointing_at_an_unknown_base(tmp_path):
    bad = CURATED["family_patterns.csv"] + "foo,org/Nope,\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"family_patterns.csv": bad})
    assert "org/Nope" in str(e.value) and "row 3" in str(e.value)


def test_invalid_regex(tmp_path):
    bad = CURATED["reasoning_models.csv"] + "(unclosed,x,https://x,\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"reasoning_models.csv": bad})
    assert "regular expression" in str(e.value)


def test_out_of_range_curated_score(tmp_path):
    bad = CURATED["external_scores.csv"] + "GPT-Y,mmlu_pro,72.6,tiger_lab,https://x,\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"external_scores.csv": bad})
    assert "0-1 scale" in str(e.value) and "row 3" in str(e.value)


def test_empty_source_is_rejected(tmp_path):
    bad = CURATED["lineage_links.csv"] + "a/b,c/d,parent,,\n"
    with pytest.raises(fileio.InputError) as e:
        load_with(tmp_path, **{"lineage_links.csv": bad})
    assert "source" in str(e.value) and "row 5" in str(e.value)


def test_checksum_mismatch_names_file_and_fix(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    good = hashlib.sha256(f.read_bytes()).hexdigest()
    assert fileio.verify_sha256(f, good) == good
    with pytest.raises(fileio.InputError) as e:
        fileio.verify_sha256(f, "0" * 64, url="https://example.org/x.csv")
    msg = str(e.value)
    assert str(f) in msg and "sha256 mismatch" in msg and "https://example.org/x.csv" in msg


def test_missing_raw_file_says_how_to_get_it(tmp_path):
    with pytest.raises(fileio.InputError) as e:
        fileio.verify_sha256(tmp_path / "nope.csv", "0" * 64, url="https://example.org/n.csv")
    assert "missing" in str(e.value) and "saucegrid fetch" in str(e.value)


def test_failed_download_leaves_nothing_behind(tmp_path):
    dest = tmp_path / "raw" / "f.csv"
    with pytest.raises(fileio.InputError):
        fileio.download("file:///nonexistent/really/not/here.csv", dest, "0" * 64)
    assert not dest.exists()
    assert list(dest.parent.iterdir()) == []


def test_download_with_wrong_checksum_leaves_nothing_behind(tmp_path):
    src = tmp_path / "src.csv"
    src.write_text("a\n1\n")
    dest = tmp_path / "raw" / "f.csv"
    with pytest.raises(fileio.InputError, match="sha256 mismatch"):
        fileio.download(src.as_uri(), dest, "0" * 64)
    assert not dest.exists() and list(dest.parent.iterdir()) == []
    fileio.download(src.as_uri(), dest, hashlib.sha256(src.read_bytes()).hexdigest())
    assert dest.read_text() == "a\n1\n"


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path):
    p = tmp_path / "out.txt"
    fileio.write_text(p, "old")
    with pytest.raises(RuntimeError), fileio.atomic_path(p) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert p.read_text() == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["out.txt"]


def test_leaderboard_with_duplicate_row_ids(tmp_path):
    cols = list(raw.LEADERBOARD_COLUMNS)
    row = ",".join(["x"] * len(cols))
    f = tmp_path / "lb.csv"
    f.write_text(",".join(cols) + "\n" + row + "\n" + row + "\n")
    with pytest.raises(fileio.InputError, match="duplicate id"):
        raw.read_leaderboard(f)


# ---------------------------------------------------------------- config validation


def config():
    return yaml.safe_load((REPO / "config.yaml").read_text())


SCHEMA = str(REPO / "workflow" / "schemas" / "config.schema.yaml")


def test_the_shipped_config_is_valid():
    validate(config(), SCHEMA)


def test_unknown_config_key_is_named():
    c = config()
    c["sample"]["lineag"] = "one_hop"
    with pytest.raises(WorkflowError, match="lineag"):
        validate(c, SCHEMA)


def test_bad_config_value_is_named():
    c = config()
    c["sample"]["lineage"] = "loose"
    with pytest.raises(WorkflowError, match="loose"):
        validate(c, SCHEMA)


def test_bad_checksum_format_in_config():
    c = config()
    c["raw_files"]["oll_v2"]["sha256"] = "abc"
    with pytest.raises(WorkflowError, match="abc"):
        validate(c, SCHEMA)
