"""Building the analysis sample from the raw public sources and the curated tables.

One module per source (:mod:`.leaderboard`, :mod:`.lifearchitect`, :mod:`.epoch`,
:mod:`.artificial_analysis`), the lineage rules (:mod:`.lineage`), the options
(:mod:`.options`) and the construction rules that combine them (:mod:`.construct`).
"""

from saucegrid.data.sample.common import (
    ALL_BENCHMARKS,
    BENCHMARKS,
    LEADERBOARD_BENCHMARKS,
    OTHER_GROUPS,
    PERIOD3,
    corrected_score,
    month_index,
    outcome,
    period3,
    quarter_label,
    strip_merge,
)
from saucegrid.data.sample.construct import (
    SAMPLE_COLUMNS,
    analysis_sample,
    apply_options,
    assign_developer_groups,
    build_candidates,
)
from saucegrid.data.sample.lineage import Lineage
from saucegrid.data.sample.options import CHOICES, TOKEN_KEYS, SampleOptions

__all__ = [
    "ALL_BENCHMARKS", "BENCHMARKS", "CHOICES", "LEADERBOARD_BENCHMARKS", "OTHER_GROUPS",
    "PERIOD3", "SAMPLE_COLUMNS", "TOKEN_KEYS",
    "Lineage", "SampleOptions", "analysis_sample", "apply_options", "assign_developer_groups",
    "build_candidates", "corrected_score", "month_index", "outcome", "period3", "quarter_label",
    "strip_merge",
]
