"""Link functions: the generalized logit of Appendix E.1.

The paper writes the generalized logistic transform as F(y) = ((y^v / (1 - y^v)) - b) / a. Read
literally (without a logarithm) it would not reduce to the plain logit ln(y/(1-y)) at v = 1, which
the paper uses as its baseline (Eq. 1, "v = 1 as in Figure C.1"). The transform that does is the
inverse of the generalized (Richards) logistic curve

    y = (1 + exp(-z)) ** (-1/v)   <=>   y**v = 1 / (1 + exp(-z))   <=>   z = ln(y**v / (1 - y**v)),

so we use

    F_v(y) = ln( y^v / (1 - y^v) ) = logit(y^v),

which at v = 1 is exactly ln(y / (1 - y)). The affine normalisation (. - b) / a of the paper
rescales every coefficient and standard error by 1/a and shifts the constant; t statistics, p
values, R², Shapley shares and compute factors M = 10^(coef/beta_c) are all invariant to it, so we
report the un-normalised F_v (a = 1, b = 0).
"""

from __future__ import annotations

import numpy as np

LINKS = {"v1.0": 1.0, "v0.7": 0.7, "v1.2": 1.2}


def exponent(link: str) -> float:
    try:
        return LINKS[link]
    except KeyError:
        raise ValueError(f"unknown link {link!r}; choose one of {sorted(LINKS)}") from None


def generalized_logit(y, v: float = 1.0):
    """F_v(y) = ln(y^v / (1 - y^v)) for 0 < y < 1; raises on values outside (0, 1)."""
    y = np.asarray(y, dtype=float)
    if np.any(~((y > 0) & (y < 1))):
        raise ValueError("the generalized logit needs 0 < y < 1 (excluded, never clipped)")
    yv = y**v
    return np.log(yv) - np.log1p(-yv)


def transform(y, link: str):
    return generalized_logit(y, exponent(link))


def inverse(z, v: float = 1.0):
    """y = (1 + exp(-z))^(-1/v): the inverse of generalized_logit."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z) / v)
