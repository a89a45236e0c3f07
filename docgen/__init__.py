"""docgen: produce, number, sign and file the official documents of Indonesian
regional-government offices (naskah dinas)."""

__version__ = "0.1.0"
