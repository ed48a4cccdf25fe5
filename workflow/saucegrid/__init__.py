"""saucegrid: reproduce and stress-test the econometrics of 'Is there Secret Sauce in LLM
Development?' (Mertens, Fischl-Lanzoni, Thompson, 2026)."""

__version__ = "0.1.0"
