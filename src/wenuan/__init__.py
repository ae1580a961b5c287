"""wenuan: statistics returns of trade unions' 送温暖 campaigns."""

__version__ = "0.1.0"
