"""Helpers the training script calls; the debugger stops in here."""


def scaled_total(count: int, weight: float) -> float:
    """Multiply and shift, the way a feature transform would."""
    offset = 0.5
    total = count * weight + offset  # BREAK
    return total
