"""Figures of the paper (matplotlib; imported only by the figures operation)."""
